/* The door device's own memory in IndexedDB: the conference data for offline answers and the queue of
   check-ins (each with its nonce) waiting to be sent. Exposes window.CheckinStore. */
(function () {
  "use strict";

  var DB_NAME = "hrne-checkin";
  var DB_VERSION = 1;
  var dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "nonce" });
          if (!db.objectStoreNames.contains("conference")) db.createObjectStore("conference", { keyPath: "slug" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var store = transaction.objectStore(storeName);
        var result;
        var request = action(store);
        if (request) request.onsuccess = function () { result = request.result; };
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  window.CheckinStore = {
    /** Add a check-in to the queue, or save its retry bookkeeping (`sync`): the nonce is the key. */
    enqueue: function (item) {
      return run("queue", "readwrite", function (store) { return store.put(item); });
    },
    /** Every queued check-in, oldest first. */
    queued: function () {
      return run("queue", "readonly", function (store) { return store.getAll(); }).then(function (items) {
        return (items || []).sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      });
    },
    remove: function (nonce) {
      return run("queue", "readwrite", function (store) { return store.delete(nonce); });
    },
    count: function () {
      return run("queue", "readonly", function (store) { return store.count(); });
    },
    /** The conference data (public key, refused badges, today's check-ins) kept for offline use. */
    saveConference: function (record) {
      return run("conference", "readwrite", function (store) { return store.put(record); });
    },
    loadConference: function (slug) {
      return run("conference", "readonly", function (store) { return store.get(slug); });
    },
    /** Forget everything (on sign-out): a lost phone keeps no attendee names. */
    clear: function () {
      return Promise.all([
        run("queue", "readwrite", function (store) { return store.clear(); }),
        run("conference", "readwrite", function (store) { return store.clear(); }),
      ]);
    },
  };
})();
