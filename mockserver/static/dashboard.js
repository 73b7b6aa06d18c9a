// The dashboard: polls the admin API every second and renders tenants, faults and the
// journal. The admin token, when the server wants one, lives in sessionStorage (this tab).
"use strict";

const API = "/__admin";
const TOKEN_KEY = "mockserver-admin-token";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "onclick") node.addEventListener("click", value);
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ""));
  return node;
}

async function api(method, path, body) {
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers["X-Admin-Token"] = token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(API + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    document.getElementById("token-form").hidden = false;
    throw new Error("admin token needed");
  }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
  return response.status === 204 ? null : response.json();
}

function renderTenants(tenants) {
  const box = document.getElementById("tenants");
  const open = new Set([...box.querySelectorAll("details[open]")].map((d) => d.dataset.account));
  box.replaceChildren();
  if (!tenants.length) box.append(el("p", { class: "muted" }, "No tenant yet: send a request."));
  for (const tenant of tenants) {
    const section = el("div", { class: "tenant", "data-tenant": tenant.name },
      el("h3", {}, tenant.name, " ", el("span", { class: "muted" }, tenant.vendor_title)));
    const table = el("table", {}, el("tr", {}, el("th", {}, "account"), el("th", {}, "balance"), el("th", {}, "ledger")));
    for (const account of tenant.accounts) {
      const ledger = el("details", { "data-account": account.id },
        el("summary", {}, `${account.ledger.length} ${account.ledger.length === 1 ? "entry" : "entries"}`),
        el("table", {}, ...account.ledger.slice().reverse().map((entry) =>
          el("tr", {}, el("td", { class: "muted" }, (entry.at ?? "").replace("T", " ").slice(0, 19)), el("td", {}, entry.kind ?? ""),
            el("td", { class: "balance" }, entry.amount ?? ""), el("td", {}, entry.note ?? "")))));
      if (open.has(account.id)) ledger.open = true;
      table.append(el("tr", { "data-account": account.id },
        el("td", {}, account.label),
        el("td", { class: "balance" }, `${account.balance} ${account.currency}`.trim()),
        el("td", {}, ledger)));
    }
    if (!tenant.accounts.length) table.append(el("tr", {}, el("td", { class: "muted" }, "no accounts")));
    section.append(table);
    box.append(section);
  }
}

function renderFaults(faults) {
  const body = document.querySelector("#faults tbody");
  body.replaceChildren(...faults.map((fault) => el("tr", { "data-fault": fault.id },
    el("td", {}, fault.path), el("td", {}, fault.method ?? "any"), el("td", {}, fault.status ?? ""),
    el("td", {}, fault.latency_ms ? `${fault.latency_ms} ms` : ""), el("td", {}, fault.probability),
    el("td", {}, el("button", { class: "remove-fault", onclick: () => removeFault(fault.id) }, "Remove")))));
  if (!faults.length) body.append(el("tr", {}, el("td", { class: "muted", colspan: 6 }, "none")));
}

function renderJournal(entries) {
  const body = document.querySelector("#journal tbody");
  body.replaceChildren(...entries.slice().reverse().map((entry) => {
    const problems = entry.problems || [];
    const cls = problems.length ? "problem" : entry.status >= 400 ? "refused" : "";
    const query = entry.query ? `?${entry.query}` : "";
    return el("tr", { class: cls },
      el("td", {}, entry.at.slice(11, 23)), el("td", {}, entry.tenant ?? ""),
      el("td", {}, `${entry.method} ${entry.path}${query}`), el("td", { class: "status" }, entry.status),
      el("td", { class: "problems" }, problems.join("; ")));
  }));
}

async function refresh() {
  try {
    const [summary, faults, journal] = await Promise.all([
      api("GET", "/summary"), api("GET", "/faults"), api("GET", "/requests?limit=50"),
    ]);
    renderTenants(summary.tenants);
    renderFaults(faults.faults);
    renderJournal(journal.requests);
    document.getElementById("token-form").hidden = true;
    document.getElementById("status").textContent = `live, updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    document.getElementById("status").textContent = String(error.message);
  }
}

async function removeFault(id) {
  await api("DELETE", `/faults/${encodeURIComponent(id)}`);
  refresh();
}

function faultFromForm(form) {
  const rule = {};
  for (const [name, value] of new FormData(form)) {
    if (value === "") continue;
    rule[name] = ["status", "latency_ms"].includes(name) ? parseInt(value, 10)
      : name === "probability" ? parseFloat(value) : value;
  }
  return rule;
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, document.getElementById("token").value);
    refresh();
  });
  document.getElementById("fault-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await api("POST", "/faults", faultFromForm(event.target));
    refresh();
  });
  document.getElementById("reset").addEventListener("click", async () => {
    if (confirm("Forget every tenant? They reseed on next use.")) {
      await api("POST", "/reset", {});
      refresh();
    }
  });
  document.getElementById("export").addEventListener("click", async () => {
    const state = await api("GET", "/state");
    const link = el("a", {
      href: URL.createObjectURL(new Blob([JSON.stringify(state, null, 2)], { type: "application/json" })),
      download: "mockserver-state.json",
    });
    link.click();
  });
  document.getElementById("import").addEventListener("change", async (event) => {
    const file = event.target.files[0];
    if (file) await api("PUT", "/state", JSON.parse(await file.text()));
    event.target.value = "";
    refresh();
  });
  refresh();
  setInterval(refresh, 1000);
});
