/* Reflect: small enhancements on top of pages that work without JavaScript.
   htmx does the in-place posting, replying and liking; this file tidies up around it. */
(function () {
  "use strict";

  /* The words this script writes, in the page's language: Django's JavaScript catalogue
     (/jsi18n/<language>.js, loaded first) defines gettext and friends; without it, English. */
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (match, name) { return String(values[name]); });
  };
  // Once per page, even if htmx swaps in content that loads this script again.
  if (window.reflectLoaded) return;
  window.reflectLoaded = true;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  /* Keyboard in the editors. Tab leaves a textarea as everywhere else (WCAG 2.1.2; no editor
     script turns it into "insert a tab").
     Ctrl+Enter (Cmd+Enter on a Mac) in a composer posts it; requestSubmit() fires the submit
     event, so htmx posts in place when it is there and the browser posts the form when it is not. */
  document.addEventListener("keydown", function (event) {
    var editor = event.target;
    if (!editor || editor.tagName !== "TEXTAREA") return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.isComposing && editor.form) {
      event.preventDefault();
      event.stopImmediatePropagation();
      var form = editor.form;
      // The form's own submit button (not "Preview"): the first one without a name.
      var button = form.querySelector("button[type=submit]:not([name]), input[type=submit]:not([name])")
        || form.querySelector("button[type=submit], input[type=submit]");
      if (button && button.disabled) return;  // already posting
      if (form.requestSubmit) form.requestSubmit(button || undefined);
      else if (button) button.click();
      else form.submit();
    }
  }, true);

  /* One polite live region for short status messages ("Liked"). It is there from the start, empty,
     so that screen readers notice when text appears in it. */
  function liveStatus() {
    var region = document.getElementById("live-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "live-status";
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    } else if (!region.hasAttribute("aria-live")) {
      region.setAttribute("aria-live", "polite");
    }
    return region;
  }
  var announceTimer = null;
  function announce(text) {
    var region = liveStatus();
    region.textContent = "";  // the same words twice in a row are announced twice
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () { region.textContent = text; }, 50);
  }
  liveStatus();

  /* Composers (issue 12): a live word count, and a server-side draft saved as the member types.
     A word is counted as core/text.py counts it (the same patterns): letters or digits, inner
     apostrophes kept; a Markdown link by its text; an address, an email or an @mention as one
     word. In a scaffold's sections only the member's own words count (not the headings). The count
     is shown, not read out on every keystroke: reaching the suggested length is announced once. */
  var LINK = /!?\[([^\]]*)\]\([^)]*\)/g;
  var WORD = new RegExp([
    "(?:https?://|www\\.)[^\\s<>()\\[\\]]+",
    "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+",
    "@[A-Za-z0-9_]+",
    "[\\p{L}\\p{N}]+(?:['’][\\p{L}\\p{N}]+)*",
  ].join("|"), "gu");
  var DRAFT_DELAY = 1500;  // ms after the last keystroke
  var draftTimers = new Map();

  function countWords(text) {
    var found = String(text || "").replace(LINK, " $1 ").match(WORD);
    return found ? found.length : 0;
  }

  function composerTexts(form) {
    var sections = form.querySelectorAll("textarea[data-section]");
    if (sections.length) return Array.prototype.map.call(sections, function (t) { return t.value; });
    var body = form.querySelector("textarea[name$=body]");
    return body ? [body.value] : [];
  }

  function updateWordCount(form, speak) {
    var counter = form.querySelector("[data-word-count]");
    if (!counter) return;
    var words = composerTexts(form).reduce(function (n, text) { return n + countWords(text); }, 0);
    var aim = parseInt(counter.getAttribute("data-aim") || "0", 10);
    var text;
    if (!aim) text = interpolate(ngettext("%(count)s word", "%(count)s words", words), { count: words }, true);
    else if (words >= aim) {
      text = interpolate(ngettext("%(count)s word (the suggestion was %(aim)s)", "%(count)s words (the suggestion was %(aim)s)", words), { count: words, aim: aim }, true);
    } else {
      text = interpolate(ngettext("%(count)s word of the suggested %(aim)s", "%(count)s words of the suggested %(aim)s", words), { count: words, aim: aim }, true);
    }
    counter.textContent = text;
    counter.hidden = false;
    var reached = aim > 0 && words >= aim;
    if (speak && reached && counter.getAttribute("data-reached") !== "1") {
      announce(interpolate(ngettext("You have written %(count)s word, past the suggested %(aim)s.", "You have written %(count)s words, past the suggested %(aim)s.", words), { count: words, aim: aim }, true));
    }
    counter.setAttribute("data-reached", reached ? "1" : "0");
  }

  function setDraftStatus(form, text) {
    var status = form.querySelector(".draft-status");
    if (status && status.textContent.trim() !== text) status.textContent = text;  // same words: quiet
  }

  function cancelDraftSave(form) {
    clearTimeout(draftTimers.get(form));
    draftTimers.delete(form);
  }

  function saveDraft(form, options) {
    options = options || {};
    cancelDraftSave(form);
    var url = form.getAttribute("data-draft-url");
    if (!url) return Promise.resolve(null);
    var data = new FormData(form);
    if (options.discard) data.append("discard", "1");
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!options.keepalive,
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.text().then(function (text) { return { ok: response.ok, text: text.trim() }; });
    }).then(function (result) {
      if (result.text) setDraftStatus(form, result.text);
      return result;
    }).catch(function () {
      setDraftStatus(form, gettext("Draft not saved: no connection. Your text is still here."));
      return null;
    });
  }

  function initComposers(root) {
    (root || document).querySelectorAll("form [data-word-count]").forEach(function (counter) {
      var form = counter.closest("form");
      if (!form) return;
      updateWordCount(form, false);
      form.querySelectorAll("textarea").forEach(function (t) { if (t.value) fitToText(t); });
    });
  }
  initComposers(document);

  /* A composer's box grows with the text, so the member sees all of it without scrolling inside
     the box (it never shrinks below the rows it was given). */
  function fitToText(textarea) {
    if (textarea.scrollHeight > textarea.clientHeight) {
      var style = getComputedStyle(textarea);
      textarea.style.height = textarea.scrollHeight + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth) + "px";
    }
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field || field.tagName !== "TEXTAREA" || !field.form) return;
    var form = field.form;
    if (form.querySelector("[data-word-count]")) fitToText(field);
    updateWordCount(form, true);
    if (!form.hasAttribute("data-draft-url")) return;
    cancelDraftSave(form);
    draftTimers.set(form, setTimeout(function () { saveDraft(form); }, DRAFT_DELAY));
  });

  /* "Save draft" saves now and "Discard draft" empties the composer, both without leaving the page
     (without JavaScript they post the form to the draft address). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-save-draft], [data-discard-draft]");
    if (!button || !button.form) return;
    event.preventDefault();
    var form = button.form;
    var discard = button.hasAttribute("data-discard-draft");
    saveDraft(form, { discard: discard }).then(function (result) {
      if (!discard || !result || !result.ok) return;
      form.querySelectorAll("textarea").forEach(function (t) { t.value = ""; t.style.height = ""; });
      form.querySelectorAll(".composer-preview").forEach(function (p) { p.remove(); });
      updateWordCount(form, false);
      var first = form.querySelector("textarea");
      button.remove();
      if (first) first.focus();
    });
  });

  /* Leaving before the pause is over: save what is waiting (keepalive outlives the page). */
  window.addEventListener("pagehide", function () {
    Array.from(draftTimers.keys()).forEach(function (form) { saveDraft(form, { keepalive: true }); });
  });

  /* Keeping the focus when htmx swaps content (WCAG 2.4.3).
     A Like button is replaced by a new one; without care the focus falls to <body> and a keyboard
     user starts again from the top. Before a swap, if the focus is inside the content being
     replaced, remember how to find that element again: by its id, or else by the closest ancestor
     with an id and a selector (tag, classes, name) within it. After the swap, if the focus was
     lost, put it on the matching element of the new content. A button disabled while its request
     runs also loses the focus: that one gets it back when the request is over. */
  var focusAtRequest = null;
  var pendingFocus = null;

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/[^\w-]/g, "\\$&");
  }

  function describe(element) {
    if (element.id) return { element: element, id: element.id, selector: null };
    var anchor = element.parentElement && element.parentElement.closest("[id]");
    if (!anchor) return null;
    var selector = element.tagName.toLowerCase();
    Array.prototype.forEach.call(element.classList, function (name) { selector += "." + cssEscape(name); });
    if (element.getAttribute("name")) selector += '[name="' + cssEscape(element.getAttribute("name")) + '"]';
    return { element: element, id: anchor.id, selector: selector };
  }

  var FOCUSABLE = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

  function find(description) {
    if (description.element.isConnected) return description.element;
    var anchor = document.getElementById(description.id);
    if (!anchor || !description.selector) return anchor;
    return anchor.querySelector(description.selector) || anchor.querySelector(FOCUSABLE);
  }

  function focusWasLost() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  /* Only once htmx has settled may the focus go to new content: htmx enables the new content's
     forms in its settle step, and a Like pressed before that would post the whole page. */
  function restoreFocus(settled) {
    if (!pendingFocus || !focusWasLost()) return;
    if (!settled && !pendingFocus.element.isConnected) return;
    var element = find(pendingFocus);
    if (element && !element.disabled) {
      element.focus({ preventScroll: true });
      if (document.activeElement === element) pendingFocus = null;
    }
  }

  /* The pressed state of a swapped Like button, said out loud as well. */
  var pendingLike = null;
  function pressedIn(container) {
    var button = container && container.querySelector(".like__button[aria-pressed]");
    return button ? button.getAttribute("aria-pressed") : null;
  }

  document.addEventListener("htmx:beforeRequest", function () {
    // Before anything is disabled: the element the member acted on.
    focusAtRequest = document.activeElement !== document.body ? document.activeElement : null;
    pendingFocus = focusAtRequest ? describe(focusAtRequest) : null;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !event.detail.shouldSwap) return;
    var active = focusWasLost() ? focusAtRequest : document.activeElement;
    if (active && active.isConnected && target.contains(active)) pendingFocus = describe(active);
    var like = target.id && (target.matches(".like") || target.querySelector(".like__button")) ? target : null;
    var fromReason = !!(focusAtRequest && focusAtRequest.closest && focusAtRequest.closest(".like-reason-form"));
    pendingLike = like ? { id: like.id, pressed: pressedIn(like), reason: fromReason } : null;
  });

  /* A like's reason saved (or removed) in place: the form that had the focus is gone, so the focus
     goes to the saved reason (focusable with tabindex="-1"), else to the Like button (WCAG 2.4.3).
     A form sent back with errors keeps the focus in its field (restoreFocus). */
  function focusSavedReason(area) {
    if (!area || area.querySelector(".like-reason-form")) return;
    var element = area.querySelector(".like__reason[tabindex]") || area.querySelector(".like__button");
    if (element) element.focus({ preventScroll: true });
  }

  /* A reflection posted in place is added at the end of the list and the page scrolls to it: the
     focus goes with it (the post is focusable with tabindex="-1"), so a keyboard or screen reader
     user carries on from their post rather than from "Post reflection" far above (WCAG 2.4.3). */
  var postedReflection = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    var target = event.detail.target;
    if (target && target.id === "threads" && source && source.closest && source.closest(".reflection-form")) {
      var added = target.lastElementChild;
      var post = added && (added.matches("article.post") ? added : added.querySelector("article.post"));
      postedReflection = post || null;
    }
  });

  function focusPostedReflection() {
    var post = postedReflection;
    postedReflection = null;
    if (!post || !post.isConnected) return;
    if (!post.hasAttribute("tabindex")) post.setAttribute("tabindex", "-1");
    post.focus();
  }

  document.addEventListener("htmx:afterSettle", function () {
    initComposers(document);
    restoreFocus(true);
    pendingFocus = null;
    focusPostedReflection();
    if (pendingLike) {
      var area = document.getElementById(pendingLike.id);
      if (pendingLike.reason && (focusWasLost() || (area && area.contains(document.activeElement)))) focusSavedReason(area);
      var pressed = pressedIn(area);
      if (pressed && pressed !== pendingLike.pressed) announce(pressed === "true" ? gettext("Liked") : gettext("Like removed"));
      pendingLike = null;
    }
  });

  var pendingQuote = null;
  var replyOpener = null;  // the Reply or Quote link that opened the reply editor

  /* Back to the link that opened a post's reply editor, once the editor is gone. */
  function focusReplyOpener(slot) {
    var post = slot.parentElement;
    var opener = replyOpener && replyOpener.isConnected && post.contains(replyOpener)
      ? replyOpener : post.querySelector(".post__actions a[data-hx-get], .post__actions a[hx-get]");
    if (opener) opener.focus();
  }

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
      slot.innerHTML = "";
      focusReplyOpener(slot);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form) cancelDraftSave(form);  // the text is being posted (or previewed): no autosave meanwhile
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    if (event.target.closest && event.target.closest(".quote-button, .post__actions a")) {
      replyOpener = event.target.closest(".post__actions a");
      document.querySelectorAll(".reply-slot").forEach(function (slot) { slot.innerHTML = ""; });
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 429 && !event.detail.xhr.responseText) {
      window.alert(gettext("You’re going a little fast. Please wait a few minutes and try again."));
    }
    var form = event.target.closest && event.target.closest("form");
    if (form) form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    if (!event.detail.successful || !form) return;
    var retargeted = event.detail.xhr && event.detail.xhr.getResponseHeader("HX-Retarget");
    if (retargeted || event.detail.xhr.status === 429) return;  // the form came back with errors, in place
    if (form.matches("[data-reset-on-success]")) {
      form.querySelectorAll("textarea").forEach(function (t) { t.value = ""; t.style.height = ""; });
      form.querySelectorAll(".composer-preview").forEach(function (p) { p.remove(); });
      var key = form.querySelector("input[name$=submission_key]");
      if (key) key.value = newKey();
      setDraftStatus(form, "");  // posting cleared the draft on the server
      form.querySelectorAll("[data-discard-draft]").forEach(function (b) { b.remove(); });
      updateWordCount(form, false);
      var empty = document.getElementById("empty-state");
      if (empty) empty.remove();
    }
    if (form.matches(".reflection-form")) announce(gettext("Your reflection is posted."));
    var slot = form.closest(".reply-slot");
    if (slot) {
      var hadFocus = slot.contains(document.activeElement) || focusWasLost();
      slot.innerHTML = "";
      if (hadFocus) focusReplyOpener(slot);
      announce(gettext("Your reply is posted."));
    }
  });

  /* After the buttons are enabled again (the listener above): the focus back where it was. */
  document.addEventListener("htmx:afterRequest", function () { restoreFocus(false); });

  /* One author, one post count on the page: a post just added carries its author's new count,
     so every other post by them shows it too. */
  function syncPostCounts(container) {
    container.querySelectorAll("[data-author-posts]").forEach(function (fresh) {
      var selector = '[data-author-posts="' + fresh.getAttribute("data-author-posts") + '"]';
      document.querySelectorAll(selector).forEach(function (other) {
        if (other !== fresh) other.textContent = fresh.textContent;
      });
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    var inserted = target.lastElementChild;
    if (inserted && (target.id === "threads" || target.id.indexOf("replies-") === 0)) syncPostCounts(inserted);
    if (target.classList.contains("reply-slot")) {
      var textarea = target.querySelector("textarea");
      if (textarea) {
        if (pendingQuote) {
          var lines = pendingQuote.text.split(/\r?\n/).map(function (l) { return "> " + l; });
          var quote = lines.join("\n") + "\n>\n> — " + pendingQuote.author + "\n\n";
          var draft = textarea.form && textarea.form.querySelector("[data-discard-draft]");
          textarea.value = draft && textarea.value.trim() ? textarea.value : quote;
          pendingQuote = null;
        }
        if (textarea.form) updateWordCount(textarea.form, false);
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
    var message = status === 403 ? gettext("You can’t do that here.") : status === 404 ? gettext("That post is no longer available.") : gettext("Something went wrong. Please try again.");
    window.alert(message);
  });

  /* Without htmx (non-boosted forms): one click posts once. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    cancelDraftSave(form);
    if (form.hasAttribute("hx-post") || form.hasAttribute("data-hx-post")) return;
    setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();
