// The WebSocket chat page's script (Tornado's demos/websocket chat.js without jQuery). The
// server sends {"id", "body", "html"} per message, the last 200 first; "html" is rendered and
// escaped by the server, so the script only inserts it, once per id.
"use strict";

const inbox = document.getElementById("inbox");
const status = document.getElementById("status");
const input = document.getElementById("message");
const scheme = location.protocol === "https:" ? "wss://" : "ws://";
const socket = new WebSocket(scheme + location.host + "/chatsocket");

socket.onopen = () => {
  status.textContent = "connected";
};
socket.onclose = (event) => {
  status.textContent = "disconnected (" + event.code + "); reload the page to reconnect";
};
socket.onmessage = (event) => {
  const chat = JSON.parse(event.data);
  if (chat.error) {
    status.textContent = chat.error; // the server could not pass our message on
    return;
  }
  status.textContent = "connected";
  if (document.getElementById("m" + chat.id)) {
    return;
  }
  inbox.insertAdjacentHTML("beforeend", chat.html);
  inbox.scrollTop = inbox.scrollHeight;
};

document.getElementById("messageform").addEventListener("submit", (event) => {
  event.preventDefault();
  if (input.value && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify({body: input.value}));
    input.value = "";
  }
  input.focus();
});
