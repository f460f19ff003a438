/* The scanner's service worker, served as /checkin/sw.js (scope /checkin/). The view that serves it puts
   CACHE_VERSION and OFFLINE_ASSETS (the page and its static files) in front of this source. It keeps
   the scanner page and its files so that the scanner opens without a network; the API is never cached. */
/* global CACHE_VERSION, OFFLINE_ASSETS */
"use strict";

var CACHE_NAME = "hrne-checkin-" + CACHE_VERSION;
var PAGE_URL = OFFLINE_ASSETS[0];

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE_NAME).then(function (cache) {
      return Promise.all(
        OFFLINE_ASSETS.map(function (url) {
          return fetch(url, { credentials: "same-origin", redirect: "follow" }).then(function (response) {
            // A redirect to the sign-in page is not the scanner: keep only real answers.
            if (response.ok && !response.redirected) return cache.put(url, response);
            return null;
          });
        })
      );
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(
        keys.filter(function (key) { return key.indexOf("hrne-checkin-") === 0 && key !== CACHE_NAME; })
          .map(function (key) { return caches.delete(key); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function isApi(url) {
  return url.pathname.indexOf(PAGE_URL + "api/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;

  if (request.mode === "navigate" && url.pathname === PAGE_URL) {
    // The page: fresh from the network when there is one (counters, session), the kept copy otherwise.
    event.respondWith(
      fetch(request).then(function (response) {
        // Keep the plain scanner, not a page of search results.
        if (response.ok && !response.redirected && !url.searchParams.has("q")) {
          var copy = response.clone();
          caches.open(CACHE_NAME).then(function (cache) { cache.put(PAGE_URL, copy); });
        }
        return response;
      }).catch(function () {
        return caches.match(PAGE_URL, { ignoreSearch: true }).then(function (cached) {
          return cached || Response.error();
        });
      })
    );
    return;
  }

  if (OFFLINE_ASSETS.indexOf(url.pathname) >= 0) {
    // Static files: the kept copy at once, refreshed in the background when the network answers.
    event.respondWith(
      caches.open(CACHE_NAME).then(function (cache) {
        return cache.match(url.pathname).then(function (cached) {
          var fresh = fetch(request).then(function (response) {
            if (response.ok) cache.put(url.pathname, response.clone());
            return response;
          });
          if (cached) {
            fresh.catch(function () {});
            return cached;
          }
          return fresh;
        });
      })
    );
  }
});
