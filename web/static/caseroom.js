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
