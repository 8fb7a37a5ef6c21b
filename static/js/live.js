/* Live news (live/, issue 24): the space's "N new reflections" bar and the header's unread count,
   without a reload. Each asks its news check (a 304 while nothing changed) every few seconds, and
   at once when the server's stream nudges it (LIVE_STREAMS). "Show" fetches the new posts as the
   space page prints them and inserts them in place: the reader's position kept, focus on the first
   new post, no motion for those who prefer less, the composer left alone. Without this script the
   pages are as they were: a reload shows what is new. */
(function () {
  "use strict";

  var SINCE = "X-Live-Since";
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  /* One news check: its address, the token of its last answer, one request at a time. */
  function Check(url, firstQuery, onAnswer) {
    this.url = url;
    this.firstQuery = firstQuery;
    this.onAnswer = onAnswer;
    this.since = "";
    this.busy = false;
  }

  Check.prototype.query = function () {
    if (this.since) return "since=" + encodeURIComponent(this.since);
    return typeof this.firstQuery === "function" ? this.firstQuery() : "";
  };

  Check.prototype.run = function () {
    var check = this;
    if (check.busy) return Promise.resolve();
    check.busy = true;
    var query = check.query();
    var address = check.url + (query ? (check.url.indexOf("?") < 0 ? "?" : "&") + query : "");
    return fetch(address, {
      cache: "no-store",
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) {
          if (response.status === 400) check.since = ""; // a token from before a deploy: start again
          return null;
        }
        check.since = response.headers.get(SINCE) || check.since;
        return response.text().then(function (text) {
          check.onAnswer(text);
        });
      })
      .catch(function () {}) // offline for a moment: the next round asks again
      .then(function () {
        check.busy = false;
      });
  };

  function every(seconds, check) {
    var period = Math.max(1, parseInt(seconds, 10) || 30) * 1000;
    window.setInterval(function () {
      if (!document.hidden) check.run();
    }, period);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) check.run();
    });
  }

  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content;
  }

  /* --- The header's "Notifications, N unread" ------------------------------------------------- */

  var noticesCheck = null;

  function startNotices() {
    var link = document.querySelector(".notifications-link[data-live-notices]");
    if (!link) return;
    noticesCheck = new Check(link.getAttribute("data-live-notices"), null, function (html) {
      var fresh = fragment(html).querySelector(".notifications-link");
      if (!fresh || fresh.getAttribute("aria-label") === link.getAttribute("aria-label")) return;
      // The same element keeps focus; only its words and badge change.
      link.setAttribute("aria-label", fresh.getAttribute("aria-label"));
      link.innerHTML = fresh.innerHTML;
    });
    every(link.getAttribute("data-live-every"), noticesCheck);
  }

  /* --- The space's news bar -------------------------------------------------------------------- */

  var spaceCheck = null;
  var spaceId = null;

  function postIds(root) {
    var ids = [];
    root.querySelectorAll("article.post[id^='post-']").forEach(function (post) {
      ids.push(post.id.slice(5));
    });
    return ids;
  }

  function startSpace() {
    var bar = document.querySelector("[data-live-news]");
    var threads = document.getElementById("threads");
    if (!bar || !threads) return;
    spaceId = (bar.getAttribute("data-live-news").match(/spaces\/(\d+)\//) || [])[1] || null;
    spaceCheck = new Check(
      bar.getAttribute("data-live-news"),
      function () {
        return "seen=" + postIds(threads).join(",");
      },
      function (html) {
        var text = fragment(html).textContent.trim();
        if (text === bar.textContent.trim()) return; // nothing new to say: say nothing again
        bar.innerHTML = html;
      }
    );
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("[data-live-show-button]");
      if (button) show(bar, threads, button);
    });
    spaceCheck.run();
    every(bar.getAttribute("data-live-every"), spaceCheck);
  }

  function show(bar, threads, button) {
    button.disabled = true;
    var address = bar.getAttribute("data-live-show") + "?since=" + encodeURIComponent(spaceCheck.since);
    fetch(address, { cache: "no-store", credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error("show: " + response.status);
        spaceCheck.since = response.headers.get(SINCE) || spaceCheck.since;
        return response.text();
      })
      .then(function (html) {
        insert(bar, threads, fragment(html));
      })
      .catch(function () {
        button.disabled = false;
      });
  }

  function insert(bar, threads, news) {
    var newestFirst = bar.getAttribute("data-live-order") === "newest";
    var atEnd = bar.getAttribute("data-live-at-end") === "true";
    var incoming = news.querySelector("[data-live-threads]");
    var newThreads = incoming ? Array.prototype.slice.call(incoming.children) : [];
    if (newThreads.length && !atEnd) {
      // New threads belong on another page of this order: go where the first one is.
      window.location.assign(incoming.getAttribute("data-live-first-url"));
      return;
    }
    // Keep what the reader is looking at where it is, whatever is inserted above it.
    var anchor = document.elementFromPoint(Math.floor(window.innerWidth / 2), Math.floor(window.innerHeight / 3));
    var anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    var arrived = [];
    var empty = threads.querySelector("#empty-state");
    if (empty && newThreads.length) empty.remove();
    newThreads.forEach(function (thread) {
      if (document.getElementById(thread.id)) return; // already on the page
      if (newestFirst) threads.insertBefore(thread, threads.firstChild);
      else threads.appendChild(thread);
      arrived.push(thread);
    });
    news.querySelectorAll("template[data-live-reply-to]").forEach(function (holder) {
      var list = document.getElementById("replies-" + holder.getAttribute("data-live-reply-to"));
      var item = holder.content.firstElementChild;
      if (!list || !item) return; // its thread is on another page
      var post = item.querySelector("article.post");
      if (post && document.getElementById(post.id)) return;
      list.appendChild(item);
      arrived.push(item);
    });
    if (anchor && anchor.isConnected) window.scrollBy(0, anchor.getBoundingClientRect().top - anchorTop);
    bar.innerHTML = "";
    var posts = [];
    arrived.forEach(function (node) {
      if (window.htmx) window.htmx.process(node);
      node.querySelectorAll("article.post").forEach(function (post) {
        posts.push(post);
      });
    });
    posts.sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    posts.forEach(function (post) {
      post.classList.add("live-arrived");
    });
    var first = posts[0];
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: true });
      first.scrollIntoView({ block: "nearest", behavior: reducedMotion ? "auto" : "smooth" });
    }
    document.dispatchEvent(new CustomEvent("live:inserted", { detail: { posts: posts } }));
  }

  /* --- Nudges from the server (LIVE_STREAMS) ---------------------------------------------------- */

  function startStream() {
    var script = document.querySelector("script[data-live-stream]");
    var address = script && script.getAttribute("data-live-stream");
    if (!address || !window.EventSource) return; // polling alone
    if (spaceId) address += (address.indexOf("?") < 0 ? "?" : "&") + "channel=space-" + spaceId;
    var source = new EventSource(address);
    // (Re)connected: what was nudged while the stream was down is found by asking now.
    source.addEventListener("stream-open", function () {
      if (spaceCheck && spaceCheck.since) spaceCheck.run();
      if (noticesCheck) noticesCheck.run();
    });
    source.addEventListener("space", function (event) {
      if (spaceCheck && String(event.data).replace(/"/g, "") === spaceId) spaceCheck.run();
    });
    source.addEventListener("notices", function () {
      if (noticesCheck) noticesCheck.run();
    });
  }

  function start() {
    startNotices();
    startSpace();
    startStream();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
