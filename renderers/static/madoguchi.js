/* Madoguchi citizen portal: progressive enhancement only.
 *
 * Every page works without this file: conditional questions are decided again by the
 * server when the form is posted, and the address can always be typed. Loaded with
 * <script src defer>; no inline scripts or handlers, so a strict CSP can forbid them.
 */
(function () {
  "use strict";

  var POSTAL_CODE_URL = "/api/postal-codes/";

  /* An error summary takes focus, so screen readers read it and keyboards start there. */
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  /* Conditional questions (data-show-if): the server evaluates the conditions, so the
   * rules live in one place. The form is posted to its data-visibility-url, which answers
   * {"visible": ["path", ...]} with every conditional field that should be shown. */
  function watchVisibility(form) {
    var url = form.getAttribute("data-visibility-url");
    var latest = 0;
    form.addEventListener("change", function () {
      var request = ++latest;
      var token = form.querySelector("input[name=csrf_token]");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRF-Token": token ? token.value : ""
        },
        body: formText(form)
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data && Array.isArray(data.visible) && request === latest) {
            showOnly(form, data.visible);
          }
        })
        .catch(function () {
          /* Offline or refused: the server decides when the form is posted anyway. */
        });
    });
  }

  /* The form's fields as urlencoded text, without files (never uploaded for a preview). */
  function formText(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function showOnly(form, visible) {
    var shown = {};
    visible.forEach(function (path) {
      shown[path] = true;
    });
    form.querySelectorAll("[data-show-if]").forEach(function (field) {
      field.hidden = !shown[field.getAttribute("data-show-if")];
    });
  }

  /* Postal codes (data-fills="<address fieldset id>"): a known 7-digit code fills the
   * prefecture, city and town of the address, where the applicant has not typed yet. */
  function watchPostalCode(input) {
    var looked = "";
    function lookUp() {
      var code = digits(input.value);
      if (code.length !== 7 || code === looked) {
        return;
      }
      looked = code;
      fetch(POSTAL_CODE_URL + code, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (place) {
          if (place) {
            fillAddress(input, place);
          }
        })
        .catch(function () {
          /* No suggestion: the applicant types the address. */
        });
    }
    input.addEventListener("input", lookUp);
    input.addEventListener("change", lookUp);
  }

  /* Full-width digits (１６３－８００１) count as digits; everything else is dropped. */
  function digits(text) {
    return text
      .replace(/[０-９]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/\D/g, "");
  }

  function fillAddress(input, place) {
    var target = input.getAttribute("data-fills");
    var filled = [
      fillIfEmpty(document.getElementById(target + "-prefecture"), place.prefecture_code),
      fillIfEmpty(document.getElementById(target + "-city"), place.city),
      fillIfEmpty(document.getElementById(target + "-street"), place.town)
    ].filter(Boolean);
    if (filled.length === 0) {
      return;
    }
    var status = input.closest(".field").querySelector("[data-fills-status]");
    if (status) {
      status.textContent = status.getAttribute("data-message");
    }
    /* Conditions may read the address: let the visibility preview know. */
    filled[0].dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fillIfEmpty(element, value) {
    if (!element || !value || element.value !== "") {
      return null;
    }
    element.value = value;
    return element.value === value ? element : null;
  }

  /* A second press of "submit" while the first is on its way sends nothing more. */
  function preventDoubleSubmit(button) {
    var form = button.form;
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (event.submitter !== button) {
        return;
      }
      if (sent) {
        event.preventDefault();
      }
      sent = true;
    });
  }

  /* Documents being prepared ([data-refresh-seconds]): the worker issues them within
   * seconds, so the page looks again by itself, a limited number of times (the notice
   * has a link to look again by hand, which is all there is without JavaScript). */
  function refreshWhilePreparing(notice) {
    var key = "madoguchi-refresh:" + location.pathname;
    var done = Number(sessionStorage.getItem(key) || "0");
    if (done >= 12) {
      return;
    }
    var seconds = Number(notice.getAttribute("data-refresh-seconds")) || 5;
    setTimeout(function () {
      sessionStorage.setItem(key, String(done + 1));
      location.reload();
    }, seconds * 1000);
  }

  function start() {
    focusErrorSummary();
    document.querySelectorAll("[data-refresh-seconds]").forEach(refreshWhilePreparing);
    document.querySelectorAll("form[data-visibility-url]").forEach(watchVisibility);
    document.querySelectorAll("input[data-fills]").forEach(watchPostalCode);
    document.querySelectorAll("button[data-prevent-double-click]").forEach(preventDoubleSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
