"""What auth says to people: mail texts and the messages for its error codes (ja, en).

Mails are written in the recipient's language first, then the other one: an address is
sometimes read by someone else in the family, and a wrong language setting should not
make a password reset unreadable.
"""

from __future__ import annotations

from datetime import timedelta

from engine.text import LocalizedText

SITE = LocalizedText(ja="窓口", en="Madoguchi")

ERROR_MESSAGES: dict[str, LocalizedText] = {
    "invalid_email": LocalizedText(
        ja="メールアドレスの形式が正しくありません。", en="This email address is not valid."
    ),
    "too_short": LocalizedText(
        ja="パスワードは10文字以上にしてください。", en="Use at least 10 characters."
    ),
    "too_long": LocalizedText(
        ja="パスワードは128文字以内にしてください。", en="Use at most 128 characters."
    ),
    "same_as_email": LocalizedText(
        ja="メールアドレスと同じパスワードは使えません。",
        en="Your password must differ from your email address.",
    ),
    "too_common": LocalizedText(
        ja="よく使われていて推測されやすいパスワードです。別のものにしてください。",
        en="This password is common and easy to guess. Please choose another one.",
    ),
    "control_characters": LocalizedText(
        ja="パスワードに使えない文字（制御文字）が含まれています。",
        en="The password contains characters that cannot be used (control characters).",
    ),
    "sign_in_refused": LocalizedText(
        ja="メールアドレスまたはパスワードが正しくありません。",
        en="The email address or password is incorrect.",
    ),
    "sign_in_throttled": LocalizedText(
        ja="ログインの失敗が続いたため、一時的にログインを制限しています。"
        "{minutes}分ほど後にもう一度お試しください。",
        en="Too many failed attempts. Please try again in about {minutes} minutes.",
    ),
    "invalid_token": LocalizedText(
        ja="このリンクは無効か、有効期限が切れています。お手数ですが、もう一度お手続きください。",
        en="This link is not valid or has expired. Please start again.",
    ),
    # Clerks: the second factor and the admin's page.
    "code_refused": LocalizedText(
        ja="確認コードが正しくありません。認証アプリの最新のコードか、回復コードを入力してください。",
        en="The code is not correct. Enter the newest code from your authenticator app, "
        "or a recovery code.",
    ),
    "code_throttled": LocalizedText(
        ja="確認コードの誤りが続いたため、一時的に入力を制限しています。"
        "{minutes}分ほど後にもう一度お試しください。",
        en="Too many wrong codes. Please try again in about {minutes} minutes.",
    ),
    "email_taken": LocalizedText(
        ja="このメールアドレスのアカウントはすでにあります。",
        en="There is already an account with this email address.",
    ),
    "invalid_membership": LocalizedText(
        ja="部署名または役割の形式が正しくありません。",
        en="A department or role is not valid.",
    ),
    "unknown_membership": LocalizedText(
        ja="手続の定義にない部署と役割の組み合わせです。",
        en="No procedure definition has this role in this department.",
    ),
    "no_membership": LocalizedText(
        ja="部署と役割を一つ以上選んでください（管理者を除く）。",
        en="Choose at least one department and role (or make the clerk an admin).",
    ),
    "own_account": LocalizedText(
        ja="ご自身のアカウントの停止や管理者権限の解除はできません。別の管理者に依頼してください。",
        en="You cannot disable your own account or remove your own admin rights. "
        "Ask another admin.",
    ),
}


def error_message(code: str, language: str, **params: object) -> str:
    """The sentence for an ``AccountError`` code (or ``sign_in_refused``, ...)."""
    return ERROR_MESSAGES[code].format(**params).get(language)


_PREFIX = {"ja": "【窓口】", "en": "[Madoguchi] "}
_FOOTER = LocalizedText(
    ja="このメールは送信専用のアドレスから送られています。ご返信いただいてもお答えできません。",
    en="This email was sent from an address that cannot receive replies.",
)

# kind: (subject, body); bodies use {link}, {sign_in_link}, {reset_link}, {valid}.
# A clerk's set_password mail comes from an admin (or `madoguchi users add`), never from a
# form a stranger can fill in.
MAILS: dict[str, tuple[LocalizedText, LocalizedText]] = {
    "verify_email": (
        LocalizedText(ja="メールアドレスの確認", en="Confirm your email address"),
        LocalizedText(
            ja="窓口にご登録いただき、ありがとうございます。\n\n"
            "下のリンクを開いて、メールアドレスの確認を完了してください。\n{link}\n\n"
            "このリンクの有効期限は{valid}です。一度だけお使いいただけます。\n"
            "お心当たりのない場合は、このメールを破棄してください。",
            en="Thank you for registering with Madoguchi.\n\n"
            "Please open the link below to confirm your email address.\n{link}\n\n"
            "The link is valid for {valid} and works once.\n"
            "If you did not register, please ignore this email.",
        ),
    ),
    "already_registered": (
        LocalizedText(ja="アカウントの登録について", en="You already have an account"),
        LocalizedText(
            ja="このメールアドレスで新規登録のお申し込みがありましたが、"
            "このアドレスのアカウントはすでに登録されています。\n\n"
            "ご登録のパスワードでログインしてください。\n{sign_in_link}\n\n"
            "パスワードをお忘れの場合は、こちらから再設定できます。\n{reset_link}\n\n"
            "お心当たりのない場合は、このメールを破棄してください。アカウントに変更はありません。",
            en="Someone asked to register with this email address, but you already have an "
            "account with it.\n\n"
            "Please sign in with your password.\n{sign_in_link}\n\n"
            "If you have forgotten your password, you can set a new one here.\n{reset_link}\n\n"
            "If this was not you, please ignore this email. Your account has not changed.",
        ),
    ),
    "case_changed": (
        LocalizedText(ja="申請の状況が変わりました", en="Your application has moved on"),
        LocalizedText(
            ja="{procedure_ja}（受付番号 {reference}）の状況が「{state_ja}」になりました。\n\n"
            "詳しくは、ログインして申請の状況をご覧ください。\n{link}",
            en="Your application for {procedure_en} (reference {reference}) is now: "
            "{state_en}.\n\nSign in to see the details.\n{link}",
        ),
    ),
    "staff_message": (
        LocalizedText(ja="申請者からのメッセージ", en="A message from an applicant"),
        LocalizedText(
            ja="{procedure_ja}（受付番号 {reference}）の申請者からメッセージが届きました。"
            "\n\n職員用画面でご確認ください。\n{link}",
            en="The applicant for {procedure_en} (reference {reference}) has written to "
            "the office.\n\nRead it in the staff console.\n{link}",
        ),
    ),
    "case_message": (
        LocalizedText(ja="担当者からのお知らせ", en="A message about your application"),
        LocalizedText(
            ja="{procedure_ja}（受付番号 {reference}）について、"
            "担当者からメッセージが届いています。\n\nログインしてご確認ください。\n{link}",
            en="There is a message from our staff about your application for {procedure_en} "
            "(reference {reference}).\n\nSign in to read it.\n{link}",
        ),
    ),
    "document_revoked": (
        LocalizedText(ja="発行した文書の取消し", en="A document we issued was revoked"),
        LocalizedText(
            ja="{procedure_ja}（受付番号 {reference}）について発行した文書を取り消しました。"
            "\n\n詳しくは、ログインして申請の状況をご覧ください。\n{link}",
            en="We have revoked a document we issued about your application for "
            "{procedure_en} (reference {reference}).\n\nSign in to see the details.\n{link}",
        ),
    ),
    "reset_password": (
        LocalizedText(ja="パスワードの再設定", en="Reset your password"),
        LocalizedText(
            ja="パスワード再設定のお申し込みを受け付けました。\n\n"
            "下のリンクを開いて、新しいパスワードを設定してください。\n{link}\n\n"
            "このリンクの有効期限は{valid}です。一度だけお使いいただけます。\n"
            "お心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。",
            en="We received a request to reset your password.\n\n"
            "Please open the link below to choose a new password.\n{link}\n\n"
            "The link is valid for {valid} and works once.\n"
            "If this was not you, please ignore this email. Your password has not changed.",
        ),
    ),
    "set_password": (
        LocalizedText(ja="職員アカウントのパスワード設定", en="Set the password of your account"),
        LocalizedText(
            ja="窓口の職員用画面のアカウントが作成されました。\n\n"
            "下のリンクを開いて、パスワードを設定してください。\n{link}\n\n"
            "このリンクの有効期限は{valid}です。一度だけお使いいただけます。\n"
            "初回のログインで、認証アプリ（二要素認証）の設定をお願いします。\n"
            "お心当たりのない場合は、このメールを破棄し、管理者にお知らせください。",
            en="An account for the Madoguchi staff console has been created for you.\n\n"
            "Please open the link below to choose your password.\n{link}\n\n"
            "The link is valid for {valid} and works once.\n"
            "When you first sign in, you will set up an authenticator app (two-factor "
            "sign-in).\n"
            "If you did not expect this, please ignore this email and tell an administrator.",
        ),
    ),
    "password_changed": (
        LocalizedText(ja="パスワードが変更されました", en="Your password was changed"),
        LocalizedText(
            ja="アカウントのパスワードが変更されました。"
            "安全のため、すべての端末でログアウトしています。\n\n"
            "お心当たりのない場合は、すぐにこちらからパスワードを再設定してください。\n"
            "{reset_link}",
            en="The password of your account was changed. To keep it safe, you have been "
            "signed out on every device.\n\n"
            "If this was not you, please reset your password now.\n{reset_link}",
        ),
    ),
}


def compose(kind: str, language: str, **params: str | timedelta) -> tuple[str, str]:
    """Subject and body of a mail, in ``language`` first and then the other language.

    ``timedelta`` parameters are written out per language ("48時間", "48 hours").
    """
    subject, body = MAILS[kind]
    other = "en" if language == "ja" else "ja"
    title = f"{_PREFIX[language]}{subject.get(language)} / {subject.get(other)}"
    parts = [
        body.get(lang).format(**{k: _written(v, lang) for k, v in params.items()})
        for lang in (language, other)
    ]
    footer = f"{_FOOTER.get(language)}\n{_FOOTER.get(other)}"
    return title, f"{parts[0]}\n\n――――――――――\n\n{parts[1]}\n\n-- \n{footer}\n"


def _written(value: str | timedelta, language: str) -> str:
    if isinstance(value, str):
        return value
    minutes = round(value.total_seconds() / 60)
    if minutes % 60:
        return f"{minutes}分" if language == "ja" else _plural(minutes, "minute")
    hours = minutes // 60
    return f"{hours}時間" if language == "ja" else _plural(hours, "hour")


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
