/* Small actions in place: reactions, poll votes, watch levels and topic follows are sent with
 * fetch (the form's own CSRF token, `Accept: application/json`) and the page is updated from
 * the server's answer, so it neither reloads nor jumps. Every one of them is a plain form
 * first: without this script, or when the request fails, the form posts as it always did.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var announcer = document.getElementById("live-announcer");

  function announce(text) {
    if (announcer && text) announcer.textContent = text;
  }

  function send(form, submitter) {
    var data = new FormData(form, submitter || undefined);
    var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    return fetch(action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrf_token") || "" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) throw new Error("not json");
      return response.json().then(function (body) {
        if (!response.ok && !body.error) throw new Error("failed");
        return body;
      });
    });
  }

  // The plain post, for when the script cannot do it in place (offline, an expired session).
  function fallBack(form, submitter) {
    form.dataset.plain = "true";
    if (submitter) form.requestSubmit(submitter);
    else form.requestSubmit();
  }

  function showError(form, message) {
    var note = form.parentNode.querySelector(".in-place-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "in-place-error error";
      note.setAttribute("role", "alert");
      form.parentNode.insertBefore(note, form.nextSibling);
    }
    note.textContent = message;
  }

  function redrawReactions(post, answer) {
    var names = [];
    Object.keys(answer.reactions).forEach(function (kind) {
      var state = answer.reactions[kind];
      var button = post.querySelector('button.reaction[value="' + kind + '"]');
      if (state.count) names.push(kind.charAt(0).toUpperCase() + kind.slice(1) + ": " + state.names.join(", "));
      if (!button) return;
      button.setAttribute("aria-pressed", state.mine ? "true" : "false");
      button.classList.toggle("on", state.mine);
      button.querySelector(".reaction-count").textContent = state.count ? String(state.count) : "";
      var label = button.querySelector(".reaction-label");
      label.textContent = label.textContent.replace(/ · $/, "") + (state.count ? " · " : "");
      if (state.count) button.title = state.names.join(", ");
      else button.removeAttribute("title");
    });
    var who = post.querySelector(".post-actions .who");
    if (!who && names.length) {
      who = document.createElement("span");
      who.className = "muted who";
      post.querySelector(".post-actions").appendChild(who);
    }
    if (who) who.textContent = names.join("; ");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (form.dataset.plain === "true") return;
    var reaction = submitter && submitter.classList.contains("reaction");
    var kind = form.dataset.inPlace;
    if (!reaction && !kind) return;
    event.preventDefault();
    var sent = send(form, submitter); // reads the button's name and value, so before disabling
    if (submitter) submitter.disabled = true;
    sent
      .then(function (answer) {
        if (answer.error) return showError(reaction ? submitter.closest(".post-actions") : form, answer.error);
        if (reaction) {
          redrawReactions(submitter.closest("li.post"), answer);
        } else if (kind === "vote") {
          var poll = form.closest("#poll");
          var holder = document.createElement("template");
          holder.innerHTML = answer.html.trim();
          poll.replaceWith(holder.content.firstElementChild);
        } else if (kind === "follow") {
          var follow = form.querySelector('input[name="follow"]');
          follow.value = answer.following ? "0" : "1";
          var button = form.querySelector("button");
          button.setAttribute("aria-label", answer.label);  // "Unfollow Crisis": which topic
          button.textContent = answer.following ? "Unfollow" : "Follow";
          button.classList.toggle("secondary", answer.following);
        }
        announce(answer.message);
      })
      .catch(function () {
        fallBack(form, submitter);
      })
      .finally(function () {
        if (submitter) submitter.disabled = false;
      });
  });

  // A watch level saves as soon as it is chosen; its Save button is for pages without script.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || form.dataset.inPlace !== "watch" || form.dataset.plain === "true") return;
    send(form, null)
      .then(function (answer) {
        if (answer.error) return showError(form, answer.error);
        announce(answer.message);
        form.classList.add("saved");
      })
      .catch(function () {
        fallBack(form, null);
      });
  });

  // A menu (the "Me" menu, a post's or the thread's) closes on Escape or a tap elsewhere.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(except)) menu.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeMenus(null);
  });
})();
