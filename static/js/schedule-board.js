// The organisers' schedule board (programme/board_admin.py): drag, resize and keyboard moves of sessions, each
// saved through the board's JSON endpoint (the page form's rules apply there), with an undo stack.
(function () {
  "use strict";
  const board = document.querySelector("[data-board]");
  if (!board) return;
  const strings = JSON.parse(document.getElementById("board-strings").textContent);
  const moveUrl = board.dataset.moveUrl;
  const day = board.dataset.day;
  const SLOT = Number(board.dataset.slotMinutes) || 5;
  const [startHour, startMinute] = board.dataset.startsAt.split(":").map(Number);
  const gridStart = startHour * 60 + startMinute;
  const live = board.querySelector("[data-board-live]");
  const errorBox = board.querySelector("[data-board-error]");
  const note = board.querySelector("[data-board-note]");
  const publishBox = board.querySelector("[data-board-publish]");
  const undoButton = board.querySelector("[data-board-undo]");
  const trayList = board.querySelector("[data-board-tray] ul");
  const columns = Array.from(board.querySelectorAll(".board-column"));
  const undoStack = [];

  // Local conference times are handled as naive "YYYY-MM-DDTHH:MM" strings; UTC arithmetic keeps them naive.
  const toMs = (text) => Date.parse(text + ":00Z");
  const fromMs = (ms) => new Date(ms).toISOString().slice(0, 16);
  const minutesBetween = (a, b) => Math.round((toMs(b) - toMs(a)) / 60000);
  const addMinutes = (text, minutes) => fromMs(toMs(text) + minutes * 60000);
  const slotPx = () => parseFloat(getComputedStyle(board).getPropertyValue("--slot")) || 10;
  const csrfToken = () => board.querySelector("input[name=csrfmiddlewaretoken]").value;
  const columnFor = (room) => columns.find((column) => column.dataset.room === String(room));
  const roomName = (room) => (room && columnFor(room) ? columnFor(room).dataset.roomName : strings.no_room);

  function stateOf(block) {
    return { start: block.dataset.start, end: block.dataset.end, room: block.dataset.room ? Number(block.dataset.room) : null };
  }

  // A day as the admin's language writes it; the board only shows the conference's days.
  const dayLabel = (text) => strings.days[text.slice(0, 10)] || text.slice(0, 10);

  function describe(block, state) {
    return interpolate(strings.moved, {
      title: block.dataset.title,
      day: dayLabel(state.start),
      start: state.start.slice(11),
      end: state.end.slice(11),
      room: roomName(state.room),
    });
  }

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, (_, name) => values[name]);
  }

  function announce(text) {
    // Cleared first so that the same words twice are read out twice.
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 30);
  }

  function showError(text) {
    errorBox.textContent = text;
  }

  // What happened to a move, written beside the session it concerns (where the eye is), and scrolled into view.
  function showNote(block, text, tone) {
    const column = block.closest("[data-board-drop]");
    if (column) {
      column.appendChild(note);
      const top = Number(block.style.getPropertyValue("--top")) + Number(block.style.getPropertyValue("--height"));
      note.style.setProperty("--top", String(top));
    } else {
      block.insertAdjacentElement("afterend", note);
      note.style.removeProperty("--top");
    }
    note.classList.toggle("board-note--in-column", Boolean(column));
    note.classList.toggle("board-note--error", tone === "error");
    note.classList.toggle("board-note--warning", tone === "warning");
    note.textContent = text;
    note.hidden = false;
    note.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function hideNote() {
    note.hidden = true;
  }

  // Draw a block where `state` puts it: in its room's column on this day, otherwise in the tray.
  function place(block, state) {
    const column = state.room ? columnFor(state.room) : null;
    const onThisDay = state.start.slice(0, 10) === day;
    const timeLabel = block.querySelector("[data-board-time]");
    if (column && onThisDay) {
      if (block.parentElement.tagName === "LI") block.parentElement.remove();
      block.classList.remove("board-block--tray");
      column.querySelector("[data-board-drop]").appendChild(block);
      const [hour, minute] = state.start.slice(11).split(":").map(Number);
      block.style.setProperty("--top", String(Math.round((hour * 60 + minute - gridStart) / SLOT)));
      block.style.setProperty("--height", String(Math.max(1, Math.round(minutesBetween(state.start, state.end) / SLOT))));
    } else if (!block.classList.contains("board-block--tray")) {
      block.classList.add("board-block--tray");
      const item = document.createElement("li");
      item.appendChild(block);
      trayList.appendChild(item);
    }
    timeLabel.textContent = state.start.slice(11) + "–" + state.end.slice(11);
  }

  function commit(block, state) {
    block.dataset.start = state.start;
    block.dataset.end = state.end;
    block.dataset.room = state.room || "";
    block.setAttribute("aria-label", block.dataset.title + ", " + dayLabel(state.start) + ", " + state.start.slice(11) + "–" + state.end.slice(11));
  }

  async function save(block, target, { isUndo = false } = {}) {
    showError("");
    hideNote();
    let response;
    let answer = {};
    try {
      response = await fetch(moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify({
          session: Number(block.dataset.session),
          start: target.start,
          end: target.end,
          room: target.room,
          publish: publishBox.checked,
        }),
      });
      answer = await response.json();
    } catch (error) {
      answer = { ok: false, error: strings.failed };
    }
    if (!answer.ok) {
      place(block, stateOf(block));
      const reason = answer.error || strings.failed;
      showError(reason);
      showNote(block, strings.refused + " " + reason, "error");
      return false;
    }
    if (!isUndo) {
      undoStack.push({ block, previous: answer.previous });
    }
    undoButton.disabled = undoStack.length === 0;
    commit(block, target);
    place(block, target);
    block.classList.toggle("board-block--draft", !answer.published);
    const parts = [describe(block, target), answer.published ? strings.published : strings.saved_draft];
    if (isUndo) parts.unshift(strings.undone);
    parts.push(...answer.warnings);
    announce(parts.join(" "));
    showNote(block, parts.join(" "), answer.warnings.length ? "warning" : "ok");
    return true;
  }

  undoButton.addEventListener("click", async () => {
    const last = undoStack.pop();
    if (!last) {
      announce(strings.nothing_to_undo);
      return;
    }
    const done = await save(last.block, last.previous, { isUndo: true });
    if (!done) undoStack.push(last);
    undoButton.disabled = undoStack.length === 0;
  });

  // Pointer dragging: the block follows the pointer on the grid; letting go saves, a refused move snaps back.
  let drag = null;

  function columnAt(x) {
    return columns.find((column) => {
      const rect = column.getBoundingClientRect();
      return x >= rect.left && x < rect.right;
    });
  }

  function targetFromPointer(event) {
    const column = columnAt(event.clientX);
    if (!column) return null;
    const body = column.querySelector("[data-board-drop]");
    const top = Math.max(0, Math.round((event.clientY - body.getBoundingClientRect().top - drag.grabOffset) / slotPx()));
    const start = addMinutes(day + "T00:00", gridStart + top * SLOT);
    return { start, end: addMinutes(start, drag.minutes), room: Number(column.dataset.room) };
  }

  board.addEventListener("pointerdown", (event) => {
    const block = event.target.closest(".board-block");
    if (!block || event.button !== 0 || event.target.closest("a")) return;
    const state = stateOf(block);
    const rect = block.getBoundingClientRect();
    hideNote();
    drag = {
      block,
      state,
      resize: Boolean(event.target.closest("[data-board-resize]")),
      startX: event.clientX,
      startY: event.clientY,
      grabOffset: block.classList.contains("board-block--tray") ? 0 : event.clientY - rect.top,
      minutes: minutesBetween(state.start, state.end),
      moved: false,
      target: null,
    };
    block.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  board.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (!drag.moved && Math.hypot(event.clientX - drag.startX, event.clientY - drag.startY) < 4) return;
    drag.moved = true;
    drag.block.classList.add("is-dragging");
    if (drag.resize) {
      const top = drag.block.getBoundingClientRect().top;
      const slots = Math.max(1, Math.round((event.clientY - top) / slotPx()));
      drag.target = { ...drag.state, end: addMinutes(drag.state.start, slots * SLOT) };
    } else {
      drag.target = targetFromPointer(event);
    }
    if (drag.target) place(drag.block, drag.target);
  });

  function endDrag(event, cancelled) {
    if (!drag) return;
    const { block, target, moved, state } = drag;
    drag = null;
    block.classList.remove("is-dragging");
    if (block.hasPointerCapture(event.pointerId)) block.releasePointerCapture(event.pointerId);
    if (!moved) return;
    if (cancelled || !target || (target.start === state.start && target.end === state.end && target.room === state.room)) {
      place(block, state);
      return;
    }
    save(block, target);
  }

  board.addEventListener("pointerup", (event) => endDrag(event, false));
  board.addEventListener("pointercancel", (event) => endDrag(event, true));

  // The keyboard: arrows move a pending copy of the place, Enter saves it, Escape puts the block back.
  const pending = new Map();

  board.addEventListener("keydown", (event) => {
    const block = event.target;
    if (!block.classList || !block.classList.contains("board-block")) return;
    const saved = stateOf(block);
    let next = pending.get(block) || { ...saved };
    if (event.key === "Enter") {
      event.preventDefault();
      if (pending.has(block)) {
        pending.delete(block);
        block.classList.remove("is-moving");
        save(block, next).then(() => block.focus());
      }
      return;
    }
    if (event.key === "Escape") {
      if (pending.has(block)) {
        event.preventDefault();
        pending.delete(block);
        block.classList.remove("is-moving");
        place(block, saved);
        block.focus();
        announce(strings.cancelled + " " + describe(block, saved));
        showNote(block, strings.cancelled + " " + describe(block, saved), "ok");
      }
      return;
    }
    const minutes = minutesBetween(next.start, next.end);
    if (!["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(event.key)) return;
    event.preventDefault();
    if (next.start.slice(0, 10) !== day || !columnFor(next.room)) {
      // From the tray (or another day): onto the first room, at the same time of day.
      next = { start: day + next.start.slice(10), end: addMinutes(day + next.start.slice(10), minutes), room: Number(columns[0].dataset.room) };
    } else if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      const step = event.key === "ArrowUp" ? -SLOT : SLOT;
      if (event.shiftKey) {
        next = { ...next, end: addMinutes(next.end, minutes + step >= SLOT ? step : 0) };
      } else {
        next = { ...next, start: addMinutes(next.start, step), end: addMinutes(next.end, step) };
      }
    } else {
      const index = columns.indexOf(columnFor(next.room)) + (event.key === "ArrowLeft" ? -1 : 1);
      if (index >= 0 && index < columns.length) next = { ...next, room: Number(columns[index].dataset.room) };
    }
    pending.set(block, next);
    block.classList.add("is-moving");
    place(block, next);
    block.focus();
    announce(describe(block, next));
    showNote(block, describe(block, next), "ok");
  });
})();
