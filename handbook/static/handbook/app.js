/* Sổ tay on the phone: registers the service worker (the installable app), asks it to send check-ins kept
 * offline, subscribes the phone to push messages when the user allows them, forgets the user's kept pages
 * and push subscription on sign-out, and reports the app's installation. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;
  var signedIn = script.hasAttribute("data-signed-in");

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function isSignOut(form) {
    try {
      return new URL(form.action, location.href).pathname === data.logout;
    } catch (error) {
      return false;
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.sw, { scope: "/" }).catch(function () {});
    var replay = function () {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) registration.active.postMessage({ type: "replay-checkins" });
      });
    };
    window.addEventListener("online", replay);
    if (signedIn && navigator.onLine) replay();
    // Links marked for it (the next meeting on the home) are kept on the phone before they are opened.
    var keep = Array.prototype.map.call(document.querySelectorAll("a[data-keep-offline]"), function (link) {
      return link.href;
    });
    if (signedIn && keep.length && navigator.onLine) {
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) registration.active.postMessage({ type: "keep", urls: keep });
      });
    }
  }

  // Web Push: when it is on, the notifications app puts its public key and API on the inbox link.
  var pushLink = document.querySelector("[data-vapid-key]");
  var canPush =
    signedIn && !!pushLink && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }

  function applicationServerKey(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function subscribePush() {
    return navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.pushManager.getSubscription().then(function (existing) {
          return (
            existing ||
            registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: applicationServerKey(pushLink.dataset.vapidKey),
            })
          );
        });
      })
      .then(function (subscription) {
        return postJson(pushLink.dataset.pushSubscribe, subscription.toJSON());
      })
      .then(function (response) {
        if (response.ok) sessionStorage.setItem("sotay-push", "1");
      });
  }

  function forgetPush() {
    // The next person to sign in on this phone must not receive this user's messages.
    if (!canPush) return Promise.resolve();
    return navigator.serviceWorker
      .getRegistration()
      .then(function (registration) {
        return registration && registration.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) return null;
        return postJson(pushLink.dataset.pushUnsubscribe, { endpoint: subscription.endpoint })
          .catch(function () {})
          .then(function () {
            return subscription.unsubscribe();
          });
      });
  }

  if (canPush) {
    if (Notification.permission === "granted" && !sessionStorage.getItem("sotay-push")) {
      subscribePush().catch(function () {});
    }
    var enable = document.querySelector("[data-push-enable]");
    if (enable && Notification.permission === "default") {
      enable.hidden = false;
      enable.addEventListener("click", function () {
        Notification.requestPermission()
          .then(function (permission) {
            return permission === "granted" ? subscribePush() : null;
          })
          .then(
            function () {
              enable.hidden = true;
            },
            function () {}
          );
      });
    }
  }

  // Sign-out: the worker forgets the user's kept pages itself; this covers a page it does not control yet,
  // and takes this phone off the user's push messages.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!isSignOut(form) || !("caches" in window) || form.hasAttribute("data-forgotten")) return;
    event.preventDefault();
    form.setAttribute("data-forgotten", "");
    var submit = function () {
      form.submit();
    };
    var timeout = new Promise(function (resolve) {
      setTimeout(resolve, 2000);
    });
    var forget = Promise.all([caches.delete("sotay-data"), forgetPush().catch(function () {})]);
    Promise.race([forget, timeout]).then(submit, submit);
  });

  // Installation: Android tells us ('appinstalled'); iOS does not, so the app opened from the home screen
  // (standalone) reports itself too, once per session. The server keeps the first date.
  function reportInstalled() {
    if (!signedIn || !window.fetch || sessionStorage.getItem("sotay-installed")) return;
    fetch(data.installed, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.ok) sessionStorage.setItem("sotay-installed", "1");
    });
  }
  window.addEventListener("appinstalled", reportInstalled);
  var standalone = window.matchMedia && window.matchMedia("(display-mode: standalone)").matches;
  if (standalone || navigator.standalone) reportInstalled();

  // Under the Content-Security-Policy no page carries inline script: the little behaviours live here.
  // Print buttons (activation slips, a report's print view).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  // The phone's time when a comment on a meeting's agenda is sent: one kept offline is judged at this moment.
  document.addEventListener("submit", function (event) {
    var field = event.target.querySelector && event.target.querySelector("input[name=written_at]");
    if (field) field.value = new Date().toISOString();
  });
  // The phone's time when a meeting code was scanned: a check-in sent later (offline) is judged at this moment.
  Array.prototype.forEach.call(document.querySelectorAll("input[name=scanned_at]"), function (field) {
    if (!field.value) field.value = new Date().toISOString();
  });
})();
