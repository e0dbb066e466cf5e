// The chat page's script (Tornado's chat.js without jQuery): posts the form with fetch and keeps
// one long poll open on /a/message/updates. Both POSTs carry the page's XSRF token in the
// X-XSRFToken header. The server renders every message's HTML (escaped, linkified): the script
// only inserts it, and drops a message it already shows (its own post comes back in the poll).
"use strict";

const inbox = document.getElementById("inbox");
const form = document.getElementById("messageform");
const input = document.getElementById("message");
const status = document.getElementById("status");
const xsrfToken = form.elements["_xsrf"].value;

function post(url, fields) {
  return fetch(url, {
    method: "POST",
    headers: {"X-XSRFToken": xsrfToken},
    body: new URLSearchParams(fields),
  }).then((response) => {
    if (!response.ok) {
      throw new Error(url + ": " + response.status + " " + response.statusText);
    }
    return response.json();
  });
}

function showMessage(message) {
  if (document.getElementById("m" + message.id)) {
    return;
  }
  inbox.insertAdjacentHTML("beforeend", message.html);
  inbox.scrollTop = inbox.scrollHeight;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = input.value;
  if (!body) {
    return;
  }
  const submit = form.querySelector("input[type=submit]");
  submit.disabled = true;
  post("/a/message/new", {body})
    .then((message) => {
      showMessage(message);
      input.value = "";
    })
    .catch((error) => {
      status.textContent = "not sent (" + error.message + "); try again";
    })
    .finally(() => {
      submit.disabled = false;
      input.focus();
    });
});

// The long poll: one request at a time, answered when there is something new. On an error the
// next attempt waits, doubling from half a second up to a minute, as Tornado's updater does.
const updater = {
  cursor: null,
  errorDelay: 500,

  start() {
    const shown = inbox.querySelectorAll(".message");
    if (shown.length > 0) {
      // The page came with the cached messages: wait for what follows the last of them.
      updater.cursor = shown[shown.length - 1].id.substring(1);
    }
    updater.poll();
  },

  poll() {
    const fields = updater.cursor ? {cursor: updater.cursor} : {};
    post("/a/message/updates", fields).then(updater.onSuccess, updater.onError);
  },

  onSuccess(response) {
    const messages = response.messages || [];
    if (messages.length > 0) {
      updater.cursor = messages[messages.length - 1].id;
      messages.forEach(showMessage);
    }
    updater.errorDelay = 500;
    status.textContent = "";
    updater.poll();
  },

  onError(error) {
    updater.errorDelay = Math.min(updater.errorDelay * 2, 60000);
    status.textContent = "reconnecting in " + updater.errorDelay / 1000 + " s (" + error.message + ")";
    window.setTimeout(updater.poll, updater.errorDelay);
  },
};

updater.start();
input.focus();
