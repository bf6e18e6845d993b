/* The exam page's offline copy. A cadre whose phone loses the network and reloads the exam page
   gets the page as it was last loaded (exam.js then puts back the answers kept on the phone and
   sends them when the network returns) instead of the browser's "no internet" page.
   Only exam pages (/attempts/<id>) and static files are kept; every other page goes to the
   network as usual. The network always comes first: a copy is used only when it fails.
   Static URLs carry their content's hash (?v=…), so each release adds new entries: the cache keeps
   only the files that a kept exam page loads, and drops the rest when a page is kept or dropped
   and when a new worker takes over (with any cache of another name). */
"use strict";
var CACHE = "quizapp-exam";
var EXAM_PAGE = /^\/attempts\/\d+$/;
var ASSET = /(?:href|src)="([^"]*\/static\/[^"]*)"/g;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name !== CACHE; })
      .map(function (name) { return caches.delete(name); }));
  }).then(prune).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
}

// The static URLs that a kept page loads, as absolute URLs (the cache's keys).
function assetsOf(cache, page) {
  return cache.match(page).then(function (response) { return response ? response.text() : ""; })
    .then(function (html) {
      var urls = [], found;
      ASSET.lastIndex = 0;
      while ((found = ASSET.exec(html))) urls.push(new URL(found[1].replace(/&amp;/g, "&"), page.url).href);
      return urls;
    });
}

// Drops every static file that no kept exam page loads: older versions of a file, files a
// release renamed or no longer uses, files that other pages loaded. A kept page's own files stay,
// even of an older release, so that its copy still works without network.
function prune() {
  return caches.open(CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      var pages = requests.filter(function (r) { return EXAM_PAGE.test(new URL(r.url).pathname); });
      return Promise.all(pages.map(function (page) { return assetsOf(cache, page); })).then(function (lists) {
        var wanted = {};
        lists.forEach(function (urls) { urls.forEach(function (url) { wanted[url] = true; }); });
        return Promise.all(requests.filter(function (r) {
          return new URL(r.url).pathname.indexOf("/static/") === 0 && !wanted[r.url];
        }).map(function (r) { return cache.delete(r); }));
      });
    });
  });
}

// The kept page says it is a copy, so that the page's script knows to say so too.
function markedCopy(response) {
  return response.text().then(function (html) {
    return new Response(html.replace('data-offline-copy="0"', 'data-offline-copy="1"'),
                        { headers: { "Content-Type": "text/html; charset=utf-8" } });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var examPage = request.mode === "navigate" && EXAM_PAGE.test(url.pathname);
  if (!examPage && url.pathname.indexOf("/static/") !== 0) return;
  var key = examPage ? url.origin + url.pathname : request;
  event.respondWith(fetch(request).then(function (response) {
    // A finished attempt redirects to its result: its kept copy is of no use any more. A new copy
    // of a page may load newer files than the last one: the files only the old copy loaded go.
    if (examPage && response.redirected) {
      event.waitUntil(caches.open(CACHE).then(function (c) { return c.delete(key); }).then(prune));
    } else if (response.ok) {
      event.waitUntil(examPage ? keep(key, response).then(prune) : keep(key, response));
    }
    return response;
  }).catch(function (error) {
    return caches.match(key).then(function (hit) {
      if (!hit) throw error;
      return examPage ? markedCopy(hit) : hit;
    });
  }));
});
