/* Council's service worker (community/core/shell.py): the offline page when the network
 * fails, and nothing else cached; member pages are never stored. */
"use strict";
var CACHE = "council-offline-{{ version }}";
var OFFLINE = {{ offline_url|tojson }};
var ASSETS = {{ ([offline_url] + assets)|tojson }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll(ASSETS);
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE);
    }));
  } else if (ASSETS.indexOf(new URL(request.url).pathname + new URL(request.url).search) !== -1) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request);
    }));
  }
});
