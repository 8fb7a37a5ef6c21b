// LTI launches (lti/templates/lti/): check that the browser keeps our cookies inside the
// platform's frame, then continue the launch (else offer the new window); send a deep-linking
// response back to the platform. Without JavaScript both pages have a button that does the same.
(function () {
  "use strict";
  var check = document.getElementById("lti-cookie-check");
  if (check) {
    var name = "reflect_lti_cookie_check";
    var attributes = "; path=/; max-age=60" + (check.dataset.secure === "true" ? "; SameSite=None; Secure" : "");
    document.cookie = name + "=1" + attributes;
    if (document.cookie.indexOf(name + "=1") !== -1) {
      document.cookie = name + "=; path=/; max-age=0" + (check.dataset.secure === "true" ? "; SameSite=None; Secure" : "");
      check.submit();
    } else {
      document.getElementById("lti-blocked").hidden = false;
    }
  }
  // Dynamic registration done: the platform closes its registration window or frame.
  if (document.getElementById("lti-registered")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
  var back = document.getElementById("lti-deep-link-return");
  if (back) {
    back.submit();
  }
})();
