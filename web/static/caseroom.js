// Caseroom's own script. Pages work without it; it only adds conveniences.
"use strict";

// The document registration form: show the fields of how a statement was taken only
// for complaints and statements, add rows of persons present, and show the safeguard
// flags the statement would raise as it is filled in. The page carries the case's
// rules and the facts they read (data-* attributes); the flags recorded are the
// server's own, worked out when the statement is registered.
(function () {
	const form = document.getElementById("document-form");
	if (!form) {
		return;
	}
	const $ = (id) => document.getElementById(id);
	const kind = $("kind"), fields = $("statement-fields"), rows = $("present-rows");
	const selected = (sel) => (sel && sel.selectedIndex >= 0 ? sel.options[sel.selectedIndex] : null);
	const yes = (opt, name) => !!opt && opt.dataset[name] === "true";

	// More rows of persons present: a copy of the last, emptied and renumbered.
	const add = document.createElement("button");
	add.type = "button";
	add.className = "secondary";
	add.textContent = "Add a person";
	rows.after(add);
	add.addEventListener("click", () => {
		const last = rows.lastElementChild, n = rows.children.length;
		const row = last.cloneNode(true);
		row.querySelectorAll("select").forEach((sel) => {
			sel.id = sel.id.replace(/-\d+$/, "-" + n);
			sel.selectedIndex = 0;
		});
		row.querySelectorAll("label").forEach((l) => {
			l.htmlFor = l.htmlFor.replace(/-\d+$/, "-" + n);
			l.textContent = l.textContent.replace(/\d+$/, String(n + 1));
		});
		rows.append(row);
		row.querySelector("select").focus();
		update();
	});

	function present() {
		const out = [];
		rows.querySelectorAll(".present-row").forEach((row) => {
			const [person, capacity] = row.querySelectorAll("select");
			const opt = selected(person);
			const cap = (capacity.value || "").toLowerCase();
			if (opt && opt.value) {
				out.push({ id: opt.value, opt: opt, cap: cap });
			} else if (cap) {
				out.push({ id: "", opt: null, cap: cap });
			}
		});
		return out;
	}

	function flags() {
		if (kind.value !== "statement") {
			return null;
		}
		const giver = selected($("giver"));
		if (!giver || !giver.value) {
			return null;
		}
		const rules = form.dataset, out = [], with_ = present();
		const guardians = (giver.dataset.guardians || "").split(" ").filter(Boolean);
		const minor = giver.dataset.minor === "yes" || giver.dataset.minor === "unknown";
		if (rules.ruleGuardian === "true" && minor && !yes(giver, "officer") &&
			!with_.some((p) => guardians.includes(p.id) || /guardian|parent|appropriate adult/.test(p.cap))) {
			out.push("A minor (" + giver.dataset.minorWhy + "): a parent, guardian or appropriate adult must be present.");
		}
		if (rules.ruleFemale === "true" && yes(giver, "victim") && yes(giver, "female") &&
			!with_.some((p) => p.cap.includes("female") ||
				(yes(p.opt, "female") && (yes(p.opt, "officer") || yes(p.opt, "guardian") || guardians.includes(p.id))))) {
			out.push("A female victim: a female officer or female relative must be present.");
		}
		const lang = $("language").value.trim();
		const officer = selected($("recordedBy"));
		let langs = officer && officer.dataset.languages ? officer.dataset.languages : rules.defaultLanguages || "";
		langs = langs.split(" ").filter(Boolean);
		if (rules.ruleInterpreter === "true" && lang && langs.length > 0 && !langs.includes(lang) &&
			!$("interpreter").value && !with_.some((p) => p.cap.includes("interpreter"))) {
			out.push("Taken in " + lang + " by " + officer.value + ", who works in " + langs.join(", ") + ": an interpreter must be present.");
		}
		return out;
	}

	// A retraction withdraws an earlier statement of the same giver: offer only theirs.
	function retractable() {
		const giver = $("giver").value, sel = $("retracts");
		for (const opt of sel.options) {
			opt.hidden = opt.value !== "" && giver !== "" && opt.dataset.giver !== giver;
		}
		if (selected(sel) && selected(sel).hidden) {
			sel.value = "";
		}
	}

	const preview = $("safeguard-preview"), list = $("safeguard-flags");
	function update() {
		const statement = kind.value === "statement" || kind.value === "complaint";
		fields.hidden = !statement;
		retractable();
		const fs = flags();
		preview.hidden = fs === null;
		list.replaceChildren();
		if (fs === null) {
			return;
		}
		if (fs.length === 0) {
			const li = document.createElement("li");
			li.className = "ok";
			li.textContent = "No safeguard missed as filled in.";
			list.append(li);
		}
		fs.forEach((text) => {
			const li = document.createElement("li");
			li.className = "flag";
			li.textContent = text;
			list.append(li);
		});
	}
	form.addEventListener("change", update);
	form.addEventListener("input", update);
	update();
})();

// The exhibit page's import of a file of communications: a file larger than the form
// sends is refused before it is sent, with a message saying how to import it instead
// (the server would otherwise answer only that the form could not be read).
(function () {
	const input = document.getElementById("comms-file");
	if (!input) {
		return;
	}
	const max = Number(input.dataset.maxBytes || 0);
	input.addEventListener("change", () => {
		const f = input.files && input.files[0];
		if (max > 0 && f && f.size > max) {
			input.setCustomValidity("The file is larger than this form sends (" + Math.floor(max / 1048576) + " MB); import it with caseroom import comms.");
		} else {
			input.setCustomValidity("");
		}
		input.reportValidity();
	});
})();

// The link chart: filters by link type and by year, zoom and pan, hiding records, and
// the paths the page found drawn over it. The drawing and its positions are the
// server's (the same SVG prints); this only shows or hides parts of it and moves the
// view. Every edge still opens its source, every record its page.
(function () {
	const svg = document.querySelector("svg.graph-svg");
	if (!svg) {
		return;
	}
	const frame = svg.closest(".graph-frame");
	const edges = [...svg.querySelectorAll(".edges .edge, .labels .edge-label")];
	const nodes = [...svg.querySelectorAll(".nodes .node")];
	const hidden = new Set(); // node ids hidden by the user
	const types = new Set(edges.map((e) => e.dataset.type));
	const off = new Set(); // link types switched off
	const year = (d, end) => (d ? Number(d.slice(0, 4)) : end ? Infinity : -Infinity);
	const years = edges.flatMap((e) => [e.dataset.since, e.dataset.until]).filter(Boolean).map((d) => Number(d.slice(0, 4)));
	let from = -Infinity, to = Infinity;

	const tools = document.createElement("div");
	tools.className = "graph-tools";
	tools.setAttribute("role", "group");
	tools.setAttribute("aria-label", "Chart controls");
	frame.before(tools);

	// Link types.
	const typeBox = document.createElement("fieldset");
	typeBox.className = "graph-types";
	typeBox.innerHTML = "<legend>Links shown</legend>";
	[...types].sort().forEach((t) => {
		const label = document.createElement("label");
		const box = document.createElement("input");
		box.type = "checkbox";
		box.checked = true;
		box.value = t;
		box.addEventListener("change", () => {
			box.checked ? off.delete(t) : off.add(t);
			apply();
		});
		label.append(box, " " + t.replace(/_/g, " "));
		typeBox.append(label);
	});
	tools.append(typeBox);

	// Years: links dated outside the window are hidden; undated ones stay.
	if (years.length > 1 && Math.min(...years) < Math.max(...years)) {
		const lo = Math.min(...years), hi = Math.max(...years);
		const box = document.createElement("fieldset");
		box.className = "graph-years";
		box.innerHTML = "<legend>Years</legend>";
		const out = document.createElement("output");
		const slider = (name, value) => {
			const input = document.createElement("input");
			input.type = "range";
			input.min = lo;
			input.max = hi;
			input.value = value;
			input.setAttribute("aria-label", name);
			input.addEventListener("input", () => {
				from = Math.min(Number(start.value), Number(end.value));
				to = Math.max(Number(start.value), Number(end.value));
				out.textContent = from + "–" + to;
				apply();
			});
			return input;
		};
		const start = slider("From year", lo), end = slider("To year", hi);
		out.textContent = lo + "–" + hi;
		box.append(start, end, out);
		tools.append(box);
	}

	// Zoom and pan: the view box moves; the drawing does not change.
	const vb = svg.viewBox.baseVal;
	const home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
	const zoom = (f, cx, cy) => {
		const w = Math.min(home.w * 4, Math.max(home.w / 8, vb.width * f)), k = w / vb.width;
		cx = cx ?? vb.x + vb.width / 2;
		cy = cy ?? vb.y + vb.height / 2;
		vb.x = cx - (cx - vb.x) * k;
		vb.y = cy - (cy - vb.y) * k;
		vb.width = w;
		vb.height = vb.height * k;
	};
	const button = (text, title, fn) => {
		const b = document.createElement("button");
		b.type = "button";
		b.className = "secondary";
		b.textContent = text;
		b.title = title;
		b.addEventListener("click", fn);
		return b;
	};
	const view = document.createElement("div");
	view.className = "graph-view";
	const shown = button("Show hidden records", "Show every record hidden", () => {
		hidden.clear();
		apply();
	});
	view.append(
		button("Zoom in", "Zoom in", () => zoom(0.8)),
		button("Zoom out", "Zoom out", () => zoom(1.25)),
		button("Fit", "Show the whole drawing", () => Object.assign(vb, { x: home.x, y: home.y, width: home.w, height: home.h })),
		shown,
	);
	tools.append(view);
	const point = (ev) => {
		const p = svg.createSVGPoint();
		p.x = ev.clientX;
		p.y = ev.clientY;
		return p.matrixTransform(svg.getScreenCTM().inverse());
	};
	svg.addEventListener("wheel", (ev) => {
		ev.preventDefault();
		const p = point(ev);
		zoom(ev.deltaY > 0 ? 1.1 : 1 / 1.1, p.x, p.y);
	}, { passive: false });
	// Panning moves the drawing as a picture (a CSS transform the browser composites,
	// without drawing it again), and moves the view box once, when the drag ends.
	let drag = null;
	svg.addEventListener("pointerdown", (ev) => {
		if (ev.target.closest("a")) {
			return; // a record or a link: it opens
		}
		drag = { x: ev.clientX, y: ev.clientY, ctm: svg.getScreenCTM() };
		svg.style.willChange = "transform";
		try {
			svg.setPointerCapture(ev.pointerId);
		} catch (e) {
			// a synthetic pointer cannot be captured; the drag works without
		}
	});
	svg.addEventListener("pointermove", (ev) => {
		if (drag) {
			svg.style.transform = `translate(${ev.clientX - drag.x}px, ${ev.clientY - drag.y}px)`;
		}
	});
	svg.addEventListener("pointerup", (ev) => {
		if (!drag) {
			return;
		}
		vb.x -= (ev.clientX - drag.x) / drag.ctm.a;
		vb.y -= (ev.clientY - drag.y) / drag.ctm.d;
		svg.style.transform = "";
		svg.style.willChange = "";
		drag = null;
	});

	// A record: Alt+click (or H) hides it, Shift+click (or E) adds its links from the
	// network API, and dragging moves it (it stays where it is put, its links drawn
	// straight to it). A plain click opens it, as without the script.
	const ns = "http://www.w3.org/2000/svg";
	const byID = new Map(nodes.map((n) => [n.dataset.id, n]));
	const drawnKey = (from, to, type) => from + " " + to + " " + type;
	const drawn = new Set(edges.filter((e) => e.classList.contains("edge")).map((e) => drawnKey(e.dataset.from, e.dataset.to, e.dataset.type)));
	const status = document.createElement("p");
	status.className = "graph-status muted";
	status.setAttribute("aria-live", "polite");
	status.textContent = "Shift+click a record to add its links, Alt+click to hide it, drag it to move it.";
	tools.append(status);
	const centre = (n) => {
		const r = n.querySelector("rect");
		const t = n.transform.baseVal.consolidate();
		return {
			x: r.x.baseVal.value + r.width.baseVal.value / 2 + (t ? t.matrix.e : 0),
			y: r.y.baseVal.value + r.height.baseVal.value / 2 + (t ? t.matrix.f : 0),
		};
	};
	const redraw = (id) => {
		edges.forEach((e) => {
			if (e.dataset.from !== id && e.dataset.to !== id) {
				return;
			}
			const a = byID.get(e.dataset.from), b = byID.get(e.dataset.to);
			if (!a || !b) {
				return;
			}
			if (e.classList.contains("edge-label")) {
				e.classList.add("moved"); // its place was the old line's
				return;
			}
			const p = centre(a), q = centre(b);
			e.querySelector("path").setAttribute("d", `M${p.x} ${p.y}L${q.x} ${q.y}`);
		});
	};
	const casePath = "/cases/" + encodeURIComponent(svg.dataset.case);
	const addNode = (x, cx, cy) => {
		const a = document.createElementNS(ns, "a");
		const role = (x.roles || [])[0];
		a.setAttribute("href", x.kind === "person" ? casePath + "/people/" + encodeURIComponent(x.id) : casePath + "/graph?person=" + encodeURIComponent(x.id));
		a.setAttribute("class", "node added n-" + (role || x.kind));
		a.dataset.id = x.id;
		const title = document.createElementNS(ns, "title");
		title.textContent = x.label + " · " + (role || x.kind);
		const r = document.createElementNS(ns, "rect");
		const w = Math.max(90, Math.min(200, 8 * x.label.length + 20)), h = 40;
		Object.entries({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, rx: 6 }).forEach(([k, v]) => r.setAttribute(k, v));
		const name = document.createElementNS(ns, "text");
		Object.entries({ x: cx, y: cy - 2, class: "name" }).forEach(([k, v]) => name.setAttribute(k, v));
		name.textContent = x.label.length > 24 ? x.label.slice(0, 23) + "…" : x.label;
		const sub = document.createElementNS(ns, "text");
		Object.entries({ x: cx, y: cy + 13, class: "sub" }).forEach(([k, v]) => sub.setAttribute(k, v));
		sub.textContent = role || x.kind;
		a.append(title, r, name, sub);
		svg.querySelector(".nodes").append(a);
		nodes.push(a);
		byID.set(x.id, a);
		wire(a);
	};
	const addEdge = (e) => {
		const a = document.createElementNS(ns, "a");
		const src = (e.sources || [])[0];
		if (src) {
			a.setAttribute("href", casePath + "/" + (src.kind === "exhibit" ? "exhibits" : src.kind === "media" ? "media" : "documents") + "/" + encodeURIComponent(src.id));
		}
		a.setAttribute("class", "edge added");
		Object.assign(a.dataset, { from: e.from, to: e.to, type: e.type, since: e.since || "", until: e.until || "" });
		const title = document.createElementNS(ns, "title");
		title.textContent = e.type.replace(/_/g, " ") + (src ? " · source " + src.ref : "") + " · confidence " + e.confidence.toFixed(2);
		const path = document.createElementNS(ns, "path");
		a.append(title, path);
		svg.querySelector(".edges").append(a);
		edges.push(a);
		drawn.add(drawnKey(e.from, e.to, e.type));
	};
	const expand = async (n) => {
		const id = n.dataset.id;
		status.textContent = "Adding the links of " + n.querySelector("title").textContent + "…";
		const res = await fetch("/api/v1/cases/" + encodeURIComponent(svg.dataset.case) + "/network?steps=1&via=link,identifier&around=" + encodeURIComponent(id),
			{ credentials: "same-origin", headers: { Accept: "application/json" } });
		const body = await res.json().catch(() => ({}));
		if (!res.ok) {
			status.textContent = "Could not add the links: " + (body.message || res.status);
			return;
		}
		const c = centre(n);
		const fresh = body.nodes.filter((x) => !byID.has(x.id));
		// Each new record on a ray from the one expanded, pushed out along it until
		// its box clears every record already drawn.
		const boxes = nodes.filter((m) => !m.classList.contains("filtered")).map((m) => {
			const p = centre(m), r = m.querySelector("rect");
			return { x: p.x, y: p.y, w: r.width.baseVal.value, h: r.height.baseVal.value };
		});
		const clear = (x, y) => boxes.every((b) => Math.abs(b.x - x) > (b.w + 170) / 2 || Math.abs(b.y - y) > (b.h + 50) / 2);
		fresh.forEach((x, i) => {
			const angle = (2 * Math.PI * i) / fresh.length;
			let radius = 110 + 10 * fresh.length, px, py;
			for (let tries = 0; tries < 12; tries++, radius += 45) {
				px = c.x + radius * Math.cos(angle);
				py = c.y + radius * Math.sin(angle);
				if (clear(px, py)) {
					break;
				}
			}
			addNode(x, px, py);
			boxes.push({ x: px, y: py, w: 160, h: 40 });
		});
		let added = 0;
		body.edges.forEach((e) => {
			if (!drawn.has(drawnKey(e.from, e.to, e.type)) && byID.has(e.from) && byID.has(e.to)) {
				addEdge(e);
				added++;
			}
		});
		body.nodes.forEach((x) => redraw(x.id));
		apply();
		grow();
		status.textContent = `Added ${fresh.length} record${fresh.length === 1 ? "" : "s"} and ${added} link${added === 1 ? "" : "s"}` + (body.capped ? " (the record has more links than are shown)." : ".");
	};
	// grow makes the drawing take in records added outside it: the view box (and
	// what Fit returns to) covers them all, and a small drawing widens to the frame.
	function grow() {
		const box = svg.querySelector(".nodes").getBBox(), pad = 30;
		const x = Math.min(home.x, box.x - pad), y = Math.min(home.y, box.y - pad);
		const w = Math.max(home.x + home.w, box.x + box.width + pad) - x, h = Math.max(home.y + home.h, box.y + box.height + pad) - y;
		Object.assign(home, { x, y, w, h });
		Object.assign(vb, { x, y, width: w, height: h });
		const width = Math.max(Number(svg.getAttribute("width")) || 0, Math.min(frame.clientWidth - 4, w));
		svg.setAttribute("width", width);
		svg.setAttribute("height", (width * h) / w);
	}
	function wire(n) {
		const hide = (ev) => {
			ev.preventDefault();
			hidden.add(n.dataset.id);
			apply();
		};
		let press = null, moved = false;
		n.addEventListener("click", (ev) => {
			if (moved) {
				ev.preventDefault();
				moved = false;
			} else if (ev.altKey) {
				hide(ev);
			} else if (ev.shiftKey) {
				ev.preventDefault();
				expand(n);
			}
		});
		n.addEventListener("keydown", (ev) => {
			if (ev.key === "h" || ev.key === "H") {
				hide(ev);
			} else if (ev.key === "e" || ev.key === "E") {
				ev.preventDefault();
				expand(n);
			}
		});
		n.addEventListener("pointerdown", (ev) => {
			press = { start: point(ev), t: n.transform.baseVal.consolidate() };
			moved = false;
			try {
				n.setPointerCapture(ev.pointerId);
			} catch (e) {
				// a synthetic pointer cannot be captured; the drag works without
			}
			ev.stopPropagation();
		});
		n.addEventListener("pointermove", (ev) => {
			if (!press) {
				return;
			}
			const p = point(ev), dx = p.x - press.start.x, dy = p.y - press.start.y;
			if (!moved && Math.hypot(dx, dy) < 4) {
				return;
			}
			moved = true;
			const x0 = press.t ? press.t.matrix.e : 0, y0 = press.t ? press.t.matrix.f : 0;
			n.setAttribute("transform", `translate(${x0 + dx} ${y0 + dy})`);
			n.classList.add("pinned");
			redraw(n.dataset.id);
		});
		n.addEventListener("pointerup", () => (press = null));
	}
	nodes.forEach(wire);

	// The paths the page found: the first drawn at once, another when its line is
	// pointed at or has the focus.
	const paths = [...document.querySelectorAll(".paths-found li[data-nodes]")];
	const mark = (li) => {
		const ids = li ? li.dataset.nodes.split(" ") : [];
		const on = new Set(ids), hops = new Set();
		for (let i = 1; i < ids.length; i++) {
			hops.add(ids[i - 1] + " " + ids[i]);
			hops.add(ids[i] + " " + ids[i - 1]);
		}
		svg.classList.toggle("with-path", ids.length > 0);
		nodes.forEach((n) => n.classList.toggle("on-path", on.has(n.dataset.id)));
		edges.forEach((e) => e.classList.toggle("on-path", hops.has(e.dataset.from + " " + e.dataset.to)));
		paths.forEach((p) => p.classList.toggle("shown", p === li));
	};
	paths.forEach((li) => {
		li.tabIndex = 0;
		li.addEventListener("mouseenter", () => mark(li));
		li.addEventListener("focus", () => mark(li));
	});
	mark(paths[0]);

	function apply() {
		edges.forEach((e) => {
			const out = off.has(e.dataset.type) || hidden.has(e.dataset.from) || hidden.has(e.dataset.to) ||
				year(e.dataset.until, true) < from || year(e.dataset.since, false) > to;
			e.classList.toggle("filtered", out);
		});
		nodes.forEach((n) => n.classList.toggle("filtered", hidden.has(n.dataset.id)));
		shown.hidden = hidden.size === 0;
		shown.textContent = "Show hidden records (" + hidden.size + ")";
	}
	apply();
})();
