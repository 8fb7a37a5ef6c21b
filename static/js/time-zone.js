/* A member with no time zone of their own: tell the site the browser's, once
   (accounts.views.browser_time_zone keeps it only while the member has none). */
(function () {
  "use strict";
  var url = document.body && document.body.getAttribute("data-browser-time-zone");
  if (!url || !window.fetch || !window.Intl) return;
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!zone || !token) return;
  var body = new URLSearchParams({ time_zone: zone, csrfmiddlewaretoken: token.value });
  fetch(url, { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
})();
