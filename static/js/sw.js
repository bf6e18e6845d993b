/* The exam page's offline copy. A cadre whose phone loses the network and reloads the exam page
   gets the page as it was last loaded (exam.js then puts back the answers kept on the phone and
   sends them when the network returns) instead of the browser's "no internet" page.
   Only exam pages (/attempts/<id>) and static files are kept; every other page goes to the
   network as usual. The network always comes first: a copy is used only when it fails. */
"use strict";
var CACHE = "quizapp-exam";
var EXAM_PAGE = /^\/attempts\/\d+$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(request, response) {
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
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
    // A finished attempt redirects to its result: its kept copy is of no use any more.
    if (examPage && response.redirected) caches.open(CACHE).then(function (c) { c.delete(key); });
    else if (response.ok) event.waitUntil(keep(key, response));
    return response;
  }).catch(function (error) {
    return caches.match(key).then(function (hit) {
      if (!hit) throw error;
      return examPage ? markedCopy(hit) : hit;
    });
  }));
});
