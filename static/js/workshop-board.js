/* The live ideas board (workshops): cheap polling, ideas that survive a dropped connection, drag and drop.
 *
 * - Polling: htmx asks for the board every 1.5 s (data-hx-trigger on #board). This script sends the
 *   board's ETag as If-None-Match; the server answers 304 while nothing changed and htmx keeps the
 *   board as it is. Polls pause while the facilitator is dragging or choosing a theme from a list,
 *   and while the tab is hidden (the board is fetched again the moment it is shown). When the board
 *   has not changed and the person has done nothing for a minute, it is asked every 4.5 s instead;
 *   any change on the board, or anything the person does, brings back 1.5 s at once.
 * - Ideas: sent with fetch and a key made here, kept in this browser's storage until the server has
 *   them. Offline, or if sending fails, the idea stays listed as "Not sent yet" and is sent again
 *   when the connection is back (the key stops it being stored twice). A refusal (too long, voting
 *   closed...) is shown next to the idea, which is kept until the person removes it. Nothing is
 *   dropped silently.
 * - Drag and drop: the facilitator drags an idea onto a theme. "Move to theme" under each idea does
 *   the same with a keyboard or without JavaScript.
 */
(function () {
  "use strict";

  var dragging = false;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function isBoardPoll(detail) {
    var elt = detail.elt;
    var verb = detail.verb || (detail.requestConfig && detail.requestConfig.verb);
    return elt && elt.id === "board" && verb === "get";
  }

  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (isBoardPoll(evt.detail)) {
      var tag = evt.detail.elt.getAttribute("data-board-etag");
      if (tag) {
        evt.detail.headers["If-None-Match"] = tag;
      }
    }
  });

  // Polling rhythm: every tick (1.5 s) while the board or the person is active; after a quiet
  // minute only every third tick; none while the tab is hidden.
  var QUIET_AFTER = 60000;
  var QUIET_EVERY = 4400;
  var lastActivity = Date.now();
  var lastPoll = 0;

  function active() {
    lastActivity = Date.now();
  }

  ["keydown", "pointerdown", "input", "submit", "focusin"].forEach(function (name) {
    document.addEventListener(name, active, true);
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      active();
      refreshBoard();
    }
  });

  function pollNow(detail) {
    var config = detail.requestConfig || {};
    if (config.triggeringEvent) {
      return true; // "boardChanged": asked for on purpose
    }
    if (document.visibilityState === "hidden") {
      return false;
    }
    var now = Date.now();
    return now - lastActivity < QUIET_AFTER || now - lastPoll >= QUIET_EVERY;
  }

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    if (!isBoardPoll(evt.detail)) {
      return;
    }
    var focused = document.activeElement;
    if (dragging || (focused && evt.detail.elt.contains(focused) && focused.tagName === "SELECT") ||
        !pollNow(evt.detail)) {
      evt.preventDefault();
      return;
    }
    lastPoll = Date.now();
  });

  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.xhr && evt.detail.xhr.status === 304) {
      evt.detail.shouldSwap = false;
      evt.detail.isError = false;
    } else if (evt.detail.xhr && evt.detail.xhr.status === 200 && isBoardPoll(evt.detail)) {
      active(); // the board changed: back to the quick rhythm
    }
  });

  // Once the board answers again after a dropped connection, take down "We could not reach Collab".
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var region = document.getElementById("htmx-error");
    if (region && !region.hidden && isBoardPoll(evt.detail) && evt.detail.xhr &&
        (evt.detail.xhr.status === 200 || evt.detail.xhr.status === 304)) {
      region.hidden = true;
      region.textContent = "";
    }
  });

  function refreshBoard() {
    if (window.htmx) {
      window.htmx.trigger(document.body, "boardChanged");
    }
  }

  // Ideas: an outbox kept in this browser until the server has them ---------------------------

  var form = document.getElementById("idea-form");
  var statusBox = document.getElementById("idea-status");
  var list = document.getElementById("idea-outbox");
  if (form && statusBox && list) {
    var storeKey = "collab-outbox-" + form.getAttribute("data-outbox");
    var sending = false;

    var load = function () {
      try {
        return JSON.parse(window.localStorage.getItem(storeKey) || "[]");
      } catch (e) {
        return [];
      }
    };
    var save = function (items) {
      try {
        window.localStorage.setItem(storeKey, JSON.stringify(items));
      } catch (e) {
        /* storage full or blocked: the list on screen still shows what was not sent */
      }
    };
    var memory = load();
    var outbox = function () {
      return memory;
    };
    var keep = function (items) {
      memory = items;
      save(items);
      render();
    };

    var newKey = function () {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      }).join("");
    };

    var say = function (text) {
      statusBox.textContent = text;
    };

    var render = function () {
      list.textContent = "";
      outbox().forEach(function (entry) {
        var li = document.createElement("li");
        li.className = "collab-outbox__item";
        var text = document.createElement("p");
        text.className = "govuk-body govuk-!-margin-bottom-1";
        text.textContent = entry.text;
        var state = document.createElement("p");
        state.className = "govuk-body-s govuk-!-margin-bottom-1 " + (entry.error ? "govuk-error-message" : "");
        state.textContent = entry.error ? "Not sent: " + entry.error : "Not sent yet. It will be sent when your connection is back.";
        li.appendChild(text);
        li.appendChild(state);
        if (entry.error) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
          remove.textContent = "Remove this idea";
          remove.addEventListener("click", function () {
            keep(outbox().filter(function (other) { return other.key !== entry.key; }));
          });
          li.appendChild(remove);
        }
        list.appendChild(li);
      });
    };

    var sendOne = function (entry) {
      var body = new URLSearchParams(entry.fields);
      body.set("client_key", entry.key);
      body.set("csrf_token", csrfToken());
      return window.fetch(entry.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Collab-Fetch": "1", "Accept": "application/json" }
      }).then(function (response) {
        if (response.status === 201) {
          return { sent: true };
        }
        if (response.status === 422) {
          return response.json().then(function (data) {
            return { sent: false, error: (data && data.error) || "the board refused it" };
          }, function () {
            return { sent: false, error: "the board refused it" };
          });
        }
        return { sent: false, retry: true };
      }, function () {
        return { sent: false, retry: true };
      });
    };

    var flush = function () {
      var pending = outbox().filter(function (entry) { return !entry.error; });
      if (sending || !pending.length) {
        return;
      }
      if (navigator.onLine === false) {
        say("You are offline. " + pending.length + " idea" + (pending.length === 1 ? " is" : "s are") +
            " kept on this device and will be sent when you are back online.");
        return;
      }
      sending = true;
      var entry = pending[0];
      sendOne(entry).then(function (result) {
        sending = false;
        if (result.sent) {
          keep(outbox().filter(function (other) { return other.key !== entry.key; }));
          say("Your idea has been added: \u201c" + entry.text + "\u201d");
          refreshBoard();
          flush();
        } else if (result.error) {
          keep(outbox().map(function (other) {
            if (other.key === entry.key) { other.error = result.error; }
            return other;
          }));
          say("An idea was not added: " + result.error);
          flush();
        } else {
          say("Your idea has not been sent yet. We will keep trying.");
        }
      });
    };

    form.addEventListener("submit", function (evt) {
      evt.preventDefault();
      var data = new FormData(form);
      var text = String(data.get("text") || "").trim();
      if (!text) {
        say("Type your idea first.");
        form.querySelector("textarea").focus();
        return;
      }
      var fields = {};
      data.forEach(function (value, name) {
        if (name !== "csrf_token" && typeof value === "string") { fields[name] = value; }
      });
      var items = outbox();
      items.push({ key: newKey(), url: form.action, text: text, fields: fields });
      keep(items);
      form.reset();
      say("Sending your idea\u2026");
      flush();
    });

    window.addEventListener("online", flush);
    window.addEventListener("offline", function () {
      say("You are offline. Ideas you add are kept on this device and sent when you are back online.");
    });
    window.setInterval(flush, 4000);
    render();
    flush();
    // From here a submit is caught and kept: tests wait for this before cutting the connection.
    form.setAttribute("data-outbox-ready", "true");
  }

  // Drag and drop into themes (the facilitator) ---------------------------------------------

  document.addEventListener("dragstart", function (evt) {
    var idea = evt.target.closest && evt.target.closest("[data-idea-id]");
    if (!idea || !idea.getAttribute("draggable")) {
      return;
    }
    dragging = true;
    evt.dataTransfer.effectAllowed = "move";
    evt.dataTransfer.setData("text/plain", idea.getAttribute("data-idea-id"));
    idea.classList.add("collab-idea--dragging");
  });

  document.addEventListener("dragend", function (evt) {
    dragging = false;
    if (evt.target.classList) {
      evt.target.classList.remove("collab-idea--dragging");
    }
  });

  document.addEventListener("dragover", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-drop-theme]");
    if (zone && dragging) {
      evt.preventDefault();
      evt.dataTransfer.dropEffect = "move";
      zone.classList.add("collab-theme__ideas--over");
    }
  });

  document.addEventListener("dragleave", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-drop-theme]");
    if (zone) {
      zone.classList.remove("collab-theme__ideas--over");
    }
  });

  document.addEventListener("drop", function (evt) {
    var zone = evt.target.closest && evt.target.closest("[data-drop-theme]");
    var board = document.getElementById("board");
    if (!zone || !board || !board.getAttribute("data-move-url")) {
      return;
    }
    evt.preventDefault();
    dragging = false;
    zone.classList.remove("collab-theme__ideas--over");
    var body = new URLSearchParams();
    body.set("idea", evt.dataTransfer.getData("text/plain"));
    body.set("theme", zone.getAttribute("data-drop-theme"));
    body.set("csrf_token", csrfToken());
    window.fetch(board.getAttribute("data-move-url"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Collab-Fetch": "1", "Accept": "application/json" }
    }).then(refreshBoard, refreshBoard);
  });
})();
