"""The most common passwords of ten characters or more, from public breach-corpus top
lists (shorter ones are refused as too short anyway), plus a few this site invites.

Stored case-folded: ``auth.passwords`` compares the NFKC-normalised, case-folded password.
"""

from __future__ import annotations

COMMON_PASSWORDS = frozenset(
    """
    1234567890 0123456789 0987654321 9876543210 12345678910 1234567891 123456789a
    a123456789 123456789q q123456789 1234554321 1234512345 1122334455 1212121212
    1231231231 1234567899 1357924680 0000000001 1111111112 1234567890a 12345qwert
    qwertyuiop qwertyuiop1 qwerty1234 qwerty12345 qwerty123456 qwertyuiop123 1qaz2wsx3edc
    1q2w3e4r5t 1q2w3e4r5t6y q1w2e3r4t5 q1w2e3r4t5y6 zaq12wsxcde3 zaq1zaq1zaq1 1qazxsw23edc
    qazwsxedc1 qazwsxedcrfv zxcvbnm123 zxcvbnm1234 asdfghjkl1 asdfghjkl; asdf123456
    password12 password123 password1234 password12345 password01 password!1 password123!
    passw0rd12 p@ssw0rd12 p@ssword123 p@ssw0rd123 mypassword mypassword1 passwordpassword
    iloveyou12 iloveyou123 abcdefghij abcdefg123 abc1234567 abcd123456 abc123456789
    aa12345678 a1b2c3d4e5 welcome123 welcome1234 letmein123 sunshine12 princess12
    football12 baseball12 basketball superman12 starwars12 dragonball onepiece12
    pokemon123 doraemon12 doraemon123 sakura1234 hello12345 helloworld helloworld1
    monkey1234 shadow1234 master1234 michael123 charlie123 computer12 internet12
    trustno123 whatever12 changeme12 changeme123 administrator admin12345 admin123456
    root123456 user123456 guest12345 test123456 testtest12 default123 secret1234
    tokyo12345 japan12345 nippon1234 konnichiwa arigatou12 ohayou1234 hanako1234
    taro123456 madoguchi1 madoguchi12 madoguchi123 madoguchi1234
    あいうえおかきくけこ かきくけこさしすせそ いろはにほへとちりぬ あいうえおあいうえお
    パスワードパスワード ぱすわーどぱすわーど 窓口のパスワードです
    """.split()  # noqa: SIM905 -- a word list reads better as text
)
