/* Reflect: small enhancements on top of pages that work without JavaScript.
   htmx does the in-place posting, replying and liking; this file tidies up around it. */
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  /* Live preview for editors that htmx inserts after markdownx.js has run. */
  function attachPreview(container) {
    if (container.dataset.previewReady) return;
    container.dataset.previewReady = "1";
    var editor = container.querySelector("textarea");
    var preview = container.querySelector(".markdownx-preview");
    if (!editor || !preview) return;
    var timer = null;
    function update() {
      var data = new FormData();
      data.append("content", editor.value);
      data.append("csrfmiddlewaretoken", csrfToken());
      fetch(editor.dataset.markdownxUrlsPath || "/markdownx/markdownify/", {
        method: "POST", body: data, credentials: "same-origin",
      }).then(function (r) { return r.ok ? r.text() : ""; }).then(function (html) { preview.innerHTML = html; });
    }
    editor.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 500); });
    if (editor.value) update();
  }

  var pendingQuote = null;

  /* The words selected inside this post's text, if any. */
  function selectedTextIn(post) {
    var selection = window.getSelection ? window.getSelection() : null;
    if (!selection || selection.isCollapsed || !selection.anchorNode) return "";
    var body = post && post.querySelector(".post__body");
    return body && body.contains(selection.anchorNode) ? String(selection).trim() : "";
  }

  /* Read the selection on pointerdown: by the click, pressing the link may have cleared it. */
  document.addEventListener("pointerdown", function (event) {
    var quote = event.target.closest && event.target.closest(".quote-button");
    if (quote) {
      var text = selectedTextIn(quote.closest(".post"));
      pendingQuote = text ? { text: text, author: quote.dataset.quoteAuthor } : null;
    }
  });

  document.addEventListener("click", function (event) {
    var quote = event.target.closest(".quote-button");
    if (quote && !pendingQuote) {  // keyboard: the selection is still there
      var text = selectedTextIn(quote.closest(".post"));
      if (text) pendingQuote = { text: text, author: quote.dataset.quoteAuthor };
    }
    var cancel = event.target.closest("[data-cancel-reply]");
    if (cancel && cancel.closest(".reply-slot")) {
      event.preventDefault();
      var slot = cancel.closest(".reply-slot");
      var opener = slot.parentElement.querySelector(".post__actions a");
      slot.innerHTML = "";
      if (opener) opener.focus();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    if (event.target.closest && event.target.closest(".quote-button, .post__actions a")) {
      document.querySelectorAll(".reply-slot").forEach(function (slot) { slot.innerHTML = ""; });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 429 && !event.detail.xhr.responseText) {
      window.alert("You’re going a little fast. Please wait a few minutes and try again.");
    }
    var form = event.target.closest && event.target.closest("form");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    if (!event.detail.successful || !form) return;
    var retargeted = event.detail.xhr && event.detail.xhr.getResponseHeader("HX-Retarget");
    if (retargeted || event.detail.xhr.status === 429) return;  // the form came back with errors, in place
    if (form.matches("[data-reset-on-success]")) {
      form.querySelectorAll("textarea").forEach(function (t) { t.value = ""; });
      form.querySelectorAll(".markdownx-preview").forEach(function (p) { p.innerHTML = ""; });
      var key = form.querySelector("input[name$=submission_key]");
      if (key) key.value = newKey();
      var empty = document.getElementById("empty-state");
      if (empty) empty.remove();
    }
    var slot = form.closest(".reply-slot");
    if (slot) slot.innerHTML = "";
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    target.querySelectorAll(".markdownx").forEach(attachPreview);
    if (target.classList.contains("reply-slot")) {
      var textarea = target.querySelector("textarea");
      if (textarea) {
        if (pendingQuote) {
          var lines = pendingQuote.text.split(/\r?\n/).map(function (l) { return "> " + l; });
          textarea.value = lines.join("\n") + "\n>\n> — @" + pendingQuote.author + "\n\n";
          pendingQuote = null;
        }
        textarea.focus();
        textarea.setSelectionRange(textarea.value.length, textarea.value.length);
      }
    }
    var added = target.lastElementChild;
    if (target.id && (target.id === "threads" || target.id.indexOf("replies-") === 0) && added) {
      added.classList.add("is-new");
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var message = status === 403 ? "You can’t do that here." : status === 404 ? "That post is no longer available." : "Something went wrong. Please try again.";
    window.alert(message);
  });

  /* Without htmx (non-boosted forms): one click posts once. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("hx-post")) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
