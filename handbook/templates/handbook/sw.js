{% autoescape off %}/* Sổ tay's service worker (rendered by handbook/pwa.py). Version {{ version }}.
 *
 * - The app shell (CSS, htmx, this app's script, icons, the offline page) is kept from installation on.
 * - The home, the record card, meeting pages, notices and news (with their pictures), study assignments and library
 *   files the user opened, and the news items and assignments the home lists: network first, the kept copy
 *   when there is no connection (or it is too slow). They are the user's own data: deleted on sign-out.
 * - Other pages: the network, else the offline page.
 * - A check-in or a comment on a meeting's agenda POSTed without a connection is kept (IndexedDB) and sent again
 *   on 'sync', on 'online' and on the next page load (the page asks with a "replay-checkins" message).
 * - That a part of a study assignment was read is kept the same way; quiz answers are not (they are scored at once).
 * - A ballot is never kept: a vote is live, so without a connection the member is told to vote again online.
 * - Push messages ({"title", "body", "url"}) become notifications; a tap opens their link.
 */
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "sotay-shell-" + VERSION;
const DATA_CACHE = "sotay-data";
const SHELL = {{ shell }};
const OFFLINE_URL = {{ offline_url }};
const HOME_URL = {{ home_url }};
const ROOT_URL = {{ root_url }};
const RECORD_URL = {{ record_url }};
const LOGOUT_URL = {{ logout_url }};
const CHECKIN_URL = {{ checkin_url }};
const COMMENTS_PATH = /^\/meetings\/\d+\/comments\/$/;
const BALLOT_URL = {{ ballot_url }};
const STUDY_STEP_URL = {{ study_step_url }};
const QUIZ_PATH = /^\/study\/\d+\/quiz\/$/;
const ICON_URL = {{ icon_url }};
const TEXT = {
  queuedTitle: {{ queued_title }},
  queued: {{ queued_text }},
  commentQueued: {{ comment_queued_text }},
  studyQueued: {{ study_queued_text }},
  noQuizTitle: {{ no_quiz_title }},
  noQuiz: {{ no_quiz_text }},
  noBallotTitle: {{ no_ballot_title }},
  noBallot: {{ no_ballot_text }},
  back: {{ back_text }},
};
const KEPT_PAGES = [/^\/meetings\/\d+\/$/, /^\/notices\/\d+\/(picture\/)?$/, /^\/library\/\d+\/file\/$/, /^\/cards\/mine\/$/, /^\/cards\/photos\/\d+\/image\/$/, /^\/study\/\d+\/$/];
// On a slow connection, show the kept copy after this long and let the network refresh it behind.
const SLOW_MS = 4000;
const DB_NAME = "sotay";
const QUEUE = "checkins";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "same-origin" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((n) => n.startsWith("sotay-shell-") && n !== SHELL_CACHE).map((n) => caches.delete(n)))
      )
      .then(() => self.clients.claim())
  );
});

function isKept(path) {
  return path === HOME_URL || path === RECORD_URL || KEPT_PAGES.some((pattern) => pattern.test(path));
}

function keptCopy(request, path) {
  // "/" sends a member to their home: offline, show the kept home.
  const key = path === ROOT_URL ? HOME_URL : request;
  return caches.open(DATA_CACHE).then((cache) => cache.match(key, { ignoreVary: true }));
}

function networkFirst(event, request, path) {
  const network = fetch(request).then((response) => {
    if (response.ok && !response.redirected && response.type === "basic" && path !== ROOT_URL) {
      const copy = response.clone();
      event.waitUntil(caches.open(DATA_CACHE).then((cache) => cache.put(request, copy)));
    } else if (response.ok && response.redirected && path === ROOT_URL && new URL(response.url).pathname === HOME_URL) {
      const copy = response.clone();
      event.waitUntil(caches.open(DATA_CACHE).then((cache) => cache.put(HOME_URL, copy)));
    }
    return response;
  });
  const slow = new Promise((resolve) => setTimeout(resolve, SLOW_MS)).then(() => keptCopy(request, path));
  const fallback = () => keptCopy(request, path).then((kept) => kept || offlinePage(request));
  return Promise.race([network.catch(fallback), slow.then((kept) => kept || network.catch(fallback))]);
}

function offlinePage(request) {
  if (request.mode === "navigate" || (request.headers.get("Accept") || "").includes("text/html")) {
    return caches.match(OFFLINE_URL);
  }
  return Response.error();
}

function cacheFirst(request) {
  return caches.match(request).then((cached) => cached || fetch(request));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CHECKIN_URL) {
    event.respondWith(keptWhenOffline(request, TEXT.queued));
    return;
  }
  if (request.method === "POST" && COMMENTS_PATH.test(url.pathname)) {
    event.respondWith(keptWhenOffline(request, TEXT.commentQueued));
    return;
  }
  if (request.method === "POST" && url.pathname === STUDY_STEP_URL) {
    event.respondWith(keptWhenOffline(request, TEXT.studyQueued));
    return;
  }
  if (request.method === "POST" && QUIZ_PATH.test(url.pathname)) {
    event.respondWith(fetch(request).catch(() => noticePage(TEXT.noQuizTitle, TEXT.noQuiz, 503)));
    return;
  }
  if (request.method === "POST" && url.pathname === BALLOT_URL) {
    event.respondWith(fetch(request).catch(() => noticePage(TEXT.noBallotTitle, TEXT.noBallot, 503)));
    return;
  }
  if (request.method === "POST" && url.pathname === LOGOUT_URL) {
    event.respondWith(signOut(request));
    return;
  }
  if (request.method !== "GET") return;
  if (SHELL.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else if (isKept(url.pathname) || (url.pathname === ROOT_URL && request.mode === "navigate")) {
    event.respondWith(networkFirst(event, request, url.pathname));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  }
});

// ---------------------------------------------------------------- sign-out: nothing of this user stays

function forgetUser() {
  return Promise.all([caches.delete(DATA_CACHE), clearQueue()]);
}

function signOut(request) {
  // Send what is waiting while the session still exists, then forget everything of this user.
  const body = request.clone();
  return replayQueue()
    .catch(() => null)
    .then(forgetUser)
    .catch(() => null)
    .then(() => fetch(body));
}

// ---------------------------------------------------------------- check-ins kept offline

function openDb() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(QUEUE, { keyPath: "id", autoIncrement: true });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

function withStore(mode, work) {
  return openDb().then(
    (db) =>
      new Promise((resolve, reject) => {
        const transaction = db.transaction(QUEUE, mode);
        const result = work(transaction.objectStore(QUEUE));
        transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
        transaction.onerror = () => reject(transaction.error);
      })
  );
}

function clearQueue() {
  return withStore("readwrite", (store) => store.clear());
}

function noticePage(title, text, status) {
  const page =
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<link rel="stylesheet" href="' + SHELL[0] + '"><title>' + title + "</title></head>" +
    '<body><main class="page"><h1>' + title + '</h1><p class="notice notice-warning" role="status">' +
    text + '</p><p><a class="button" href="' + HOME_URL + '">' + TEXT.back + "</a></p></main></body></html>";
  return new Response(page, { status: status, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function queuedResponse(request, text) {
  if (request.headers.get("HX-Request")) {
    return new Response('<p class="notice notice-warning" role="status">' + text + "</p>", {
      status: 202,
      headers: { "Content-Type": "text/html; charset=utf-8" },
    });
  }
  return noticePage(TEXT.queuedTitle, text, 202);
}

function keptWhenOffline(request, text) {
  const kept = request.clone();
  return fetch(request).catch(() =>
    kept
      .text()
      .then((body) =>
        withStore("readwrite", (store) =>
          store.add({
            url: kept.url,
            body: body,
            contentType: kept.headers.get("Content-Type") || "application/x-www-form-urlencoded",
            queuedAt: new Date().toISOString(),
          })
        )
      )
      .then(() => self.registration.sync && self.registration.sync.register(QUEUE).catch(() => null))
      .then(() => queuedResponse(kept, text))
  );
}

// Pages the home points to that should open offline before they are ever opened (the next meeting).
function keep(urls) {
  return caches.open(DATA_CACHE).then((cache) =>
    Promise.all(
      urls
        .map((url) => new URL(url, self.location.origin))
        .filter((url) => url.origin === self.location.origin && isKept(url.pathname))
        .map((url) =>
          // Marked as kept ahead: the page is not being read yet (a news item's read count must not move).
          fetch(url.href, { credentials: "same-origin", headers: { "X-Sotay-Keep": "1" } })
            .then((response) => (response.ok && !response.redirected ? cache.put(url.href, response) : null))
            .catch(() => null)
        )
    )
  );
}

let replaying = null;

function replayQueue() {
  // One replay at a time: 'sync', 'online' and page loads may ask together.
  if (replaying) return replaying;
  replaying = withStore("readonly", (store) => store.getAll())
    .then((items) =>
      items.reduce(
        (done, item) =>
          done.then((sent) =>
            fetch(item.url, {
              method: "POST",
              body: item.body,
              headers: { "Content-Type": item.contentType },
              credentials: "same-origin",
              redirect: "manual",
            }).then((response) =>
              // A server error may pass: keep it for later. Anything else was the server's answer: done.
              response.status >= 500 ? sent : withStore("readwrite", (store) => store.delete(item.id)).then(() => sent + 1)
            )
          ),
        Promise.resolve(0)
      )
    )
    .then((sent) => {
      if (sent) self.clients.matchAll().then((clients) => clients.forEach((c) => c.postMessage({ type: "checkins-sent", count: sent })));
      return sent;
    })
    .finally(() => {
      replaying = null;
    });
  return replaying;
}

self.addEventListener("sync", (event) => {
  if (event.tag === QUEUE) event.waitUntil(replayQueue());
});

self.addEventListener("message", (event) => {
  if (!event.data) return;
  if (event.data.type === "replay-checkins") event.waitUntil(replayQueue().catch(() => 0));
  if (event.data.type === "sign-out") event.waitUntil(forgetUser());
  if (event.data.type === "keep" && Array.isArray(event.data.urls)) event.waitUntil(keep(event.data.urls));
});

// ---------------------------------------------------------------- push

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { title: event.data ? event.data.text() : "" };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Sổ tay", {
      body: data.body || "",
      icon: ICON_URL,
      data: { url: data.url || HOME_URL },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || HOME_URL, self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((clients) => {
      const open = clients.find((client) => client.url === target.href && "focus" in client);
      return open ? open.focus() : self.clients.openWindow(target.href);
    })
  );
});
{% endautoescape %}
