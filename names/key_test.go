package names

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// textKeys returns the keys of the words of text, in order, as the search index
// makes them.
func textKeys(text string) []string {
	var keys []string
	for _, w := range Words(text) {
		keys = AppendKeys(keys, w.Folded)
	}
	return keys
}

func TestKeySameName(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"a place-suffix compound, joined, apart and in Urdu",
			[]string{"Hussain Khanwala", "Husain Khan Wala", "حسین خانوالا", "حسین خان والا", "HUSSAIN KHAN-WALA", "Hussein Khanwaala"},
			[]string{"husain", "khan", "wala"}},
		{"a village name with basti and pur",
			[]string{"Basti Qandeelpur", "بستی قندیل پور", "basti kandeelpur", "Basti Qandil Pur", "بستی قندیلپور"},
			[]string{"basti", "qandil", "pur"}},
		{"yusuf", []string{"Yousaf", "یوسف", "Yusuf", "Yousuf", "Yousef", "يوسف"}, []string{"yusuf"}},
		{"muhammad", []string{"Mohd", "Muhammad", "محمد", "Mohammed", "Md", "مُحَمَّد", "ﻣﺤﻤﺪ"}, []string{"muhamad"}},
		{"abdul before a name, joined and apart",
			[]string{"abdulrasheed", "Abdul Rasheed", "Abdul Rashid", "عبدالرشید", "عبد الرشید", "عبد رشید"},
			[]string{"abdul", "rashid"}},
		{"abdur shares its r when the name is written with one",
			[]string{"Abdurrehman", "Abdurehman", "Abdur Rehman", "Abdul Rahman", "عبدالرحمان", "عبد الرحمن"},
			[]string{"abdul", "rehman"}},
		{"ghulam before a name", []string{"Ghulamrasool", "Ghulam Rasul", "غلام رسول", "غلامرسول"}, []string{"ghulam", "rasul"}},
		{"allah before a name", []string{"Allahditta", "Allah Ditta", "اللہ دتہ", "الله دتا"}, []string{"alah", "dita"}},
		{"chaudhry and its abbreviation", []string{"Ch.", "Chaudhary", "Choudhry", "چوہدری", "چودھری"}, []string{"chaudhry"}},
		{"bibi in one word and in two", []string{"Bibi", "بیبی"}, []string{"bibi"}},
		// Urdu often writes بی بی as two words; بی alone keys as bibi, so that a
		// search for Fatima Bibi finds فاطمہ بی بی as a phrase.
		{"bibi in two Urdu words", []string{"بی بی"}, []string{"bibi", "bibi"}},
		{"bin and walad", []string{"bin walad", "بن ولد", "Ibn Wald"}, []string{"bin", "walad"}},
		{"an FIR line", []string{
			"Mst. Fatima Bibi d/o Ghulam Rasool, sakin Chak 42, Tehsil Saddar",
			"مسماۃ فاطمہ بیبی d/o غلام رسول، ساکن چک ۴۲، تحصیل صدر",
		}, []string{"musamat", "fatima", "bibi", "d", "o", "ghulam", "rasul", "sakin", "chak", "42", "tehsil", "sadar"}},
		{"abad joined and apart", []string{"Roshanabad", "Roshan Abad", "روشن آباد", "روشناباد"}, []string{"roshan", "abad"}},
		{"kot, nagar, garh, pura", []string{"Samarkot Anarnagar Neeligarh Patangpura", "ثمرکوٹ انارنگر نیلیگڑھ پتنگپورہ"},
			[]string{"samar", "kot", "anar", "nagar", "nili", "garh", "patang", "pura"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, text := range tt.texts {
				if diff := cmp.Diff(tt.want, textKeys(text)); diff != "" {
					t.Errorf("keys of %q (-want +got):\n%s", text, diff)
				}
			}
		})
	}
}

func TestKeyDifferentNames(t *testing.T) {
	pairs := [][2]string{
		{"Hasan", "Husain"},
		{"Hassan", "Hussain"},
		{"حسن", "حسین"},
		{"Hasan", "حسین"},
		{"Hasnain", "Husain"},
		{"Hasnain", "Hasan"},
		{"Salman", "Suleman"},
		{"Sajid", "Sajjad"},
		{"Siddique", "Siddiqui"},
		{"Bhatti", "Bhutta"},
		{"Sandhu", "Sidhu"},
		{"Baig", "Begum"},
		{"Syed", "Saeed"},
		{"Sayyid", "Saeed"},
		{"Ghafoor", "Ghaffar"},
		{"Nazir", "Nazar"},
		{"Wala", "Wali"},
		{"Pur", "Pura"},
		{"khan", "khana"},
	}
	for _, p := range pairs {
		a, b := textKeys(p[0]), textKeys(p[1])
		if slices.Equal(a, b) {
			t.Errorf("%q and %q both key as %q; they are different names", p[0], p[1], a)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct {
		name, word string
		want       []string
	}{
		{"empty", "", nil},
		{"spelling: doubled letters", "pappu", []string{"papu"}},
		{"spelling: ee", "fareed", []string{"farid"}},
		{"spelling: oo", "mahmood", []string{"mahmud"}},
		{"spelling: a word outside the table", "zzyzx", []string{"zyzx"}},
		{"spelling: eee is i then e", "beeet", []string{"biet"}},
		{"spelling: a word it leaves as it is", "khan", []string{"khan"}},
		{"digits are never changed", "0042", []string{"0042"}},
		{"digits that look like a suffix are not split", "1234567", []string{"1234567"}},
		{"letters and digits are kept as folded", "v0007", []string{"v0007"}},
		{"letters and digits are never split", "khan0wala", []string{"khan0wala"}},
		{"an Urdu word outside the table is its folded form", "کتاب", []string{"کتاب"}},
		{"table: Urdu", "محمد", []string{"muhamad"}},
		{"table: abbreviation", "mohd", []string{"muhamad"}},
		{"suffix: wala", "khanwala", []string{"khan", "wala"}},
		{"suffix: pura before pur", "qandeelpura", []string{"qandil", "pura"}},
		{"suffix: wali before wal", "anarwali", []string{"anar", "wali"}},
		{"suffix: wal", "anarwal", []string{"anar", "wal"}},
		{"suffix: the stem outside the table", "zorbapur", []string{"zorba", "pur"}},
		{"suffix: a stem of two letters is not split", "akpur", []string{"akpur"}},
		{"suffix: a stem of three letters is", "akapur", []string{"aka", "pur"}},
		{"suffix: the suffix alone is not split", "wala", []string{"wala"}},
		{"suffix: found in the spelling form", "khanwalla", []string{"khan", "wala"}},
		{"suffix: the stem is split again", "khanwalapur", []string{"khan", "wala", "pur"}},
		{"suffix: Urdu", "خانوالا", []string{"khan", "wala"}},
		{"suffix: Urdu pura before pur", "قندیلپورہ", []string{"qandil", "pura"}},
		{"suffix: Urdu abad as Fold writes it", Fold("روشنآباد"), []string{"roshan", "abad"}},
		{"suffix: an Urdu stem of two letters is not split", "چکوال", []string{"چکوال"}},
		{"suffix: an Urdu stem outside the table", "کتابپور", []string{"کتاب", "pur"}},
		{"prefix: abdul", "abdulrasheed", []string{"abdul", "rashid"}},
		{"prefix: abdul with a doubled l", "abdullatif", []string{"abdul", "latif"}},
		{"prefix: abdus with one s", "abdusattar", []string{"abdul", "satar"}},
		{"prefix: abdur before a consonant is not given a second r", "abdurkarim", []string{"abdul", "karim"}},
		{"prefix: a rest of two letters is not split", "abdulxy", []string{"abdulxy"}},
		{"prefix: ghulam", "ghulamnabi", []string{"ghulam", "nabi"}},
		{"prefix: Urdu abdul", "عبدالقادر", []string{"abdul", "qadir"}},
		{"article: only before a name in the table", "الکتاب", []string{"الکتاب"}},
		{"the table's whole word is not split", "talpur", []string{"talpur"}},
		{"the table's whole Urdu word is not split", "تالپور", []string{"talpur"}},
		{"abdullah is a name, not abdul and lah", "abdullah", []string{"abdulah"}},
		{"a word that is not folded is folded", "HUSSAIN", []string{"husain"}},
		{"a string of several words gives the keys of each", "Khan, Wala", []string{"khan", "wala"}},
		{"Arabic letters are folded", "يوسف", []string{"yusuf"}},
		{"marks are dropped", "حُسَین", []string{"husain"}},
		{"punctuation only gives nothing", "--", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Key(tt.word)); diff != "" {
				t.Errorf("Key(%q) (-want +got):\n%s", tt.word, diff)
			}
		})
	}
}

func TestShippedTableLoads(t *testing.T) {
	tb, err := parseTable(variantsTxt)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tb.order); n < 250 {
		t.Errorf("the table has %d rows, want at least 250", n)
	}
	// The header of the table says it lists an Urdu spelling twice only where Fold
	// does not make the two one.
	for _, r := range tb.order {
		seen := map[string]string{}
		for _, w := range r.written {
			if f := Fold(w); asciiKind(f) != kindLatin {
				if other, ok := seen[f]; ok {
					t.Errorf("line %d lists %q and %q, which Fold writes alike", r.line, other, w)
				}
				seen[f] = w
			}
		}
	}
	// Rows the brief of the table asks for, by key.
	for _, k := range []string{
		"muhamad", "ahmad", "ali", "husain", "hasan", "yusuf", "qasim", "ramzan", "rasul", "ghulam", "abdul",
		"rashid", "mahmud", "tariq", "navid", "akhtar", "shahid", "iqbal", "zafar", "abas", "mansur", "sajid",
		"irfan", "rafiq", "kamran", "asif", "nawaz", "imran", "bibi", "begum", "fatima", "ayesha", "khan",
		"chaudhry", "malik", "rana", "mian", "haji", "bhati", "virk", "dogar", "joiya", "jhana", "papu",
		"urf", "alias", "bin", "binte", "walad",
		"chak", "basti", "dhok", "mauza", "kot", "pur", "pura", "wala", "wali", "wal", "abad", "nagar", "garh",
		"sharif", "khurd", "kalan", "mandi", "bazar", "thana", "tehsil", "zila", "gaon", "mohala", "nahar",
		"qandil", "samar", "anar", "roshan", "nili", "patang", "sadar",
	} {
		if _, ok := tb.rows[k]; !ok {
			t.Errorf("no row has the key %q", k)
		}
	}
}

func TestEveryFormKeysAsItsRow(t *testing.T) {
	tb := shipped()
	for _, r := range tb.order {
		for _, w := range r.written {
			if got := textKeys(w); !slices.Equal(got, []string{r.key}) {
				t.Errorf("line %d: %q keys as %q, want its row's key %q", r.line, w, got, r.key)
			}
		}
		if got := Key(r.key); !slices.Equal(got, []string{r.key}) {
			t.Errorf("line %d: the key %q keys as %q", r.line, r.key, got)
		}
	}
}

func TestSuffixesAndPrefixesKeyAsWrittenAlone(t *testing.T) {
	// Each Urdu affix with its Latin writing, and the key of both.
	pairs := []struct{ latin, urdu, key string }{
		{"wala", "والا", "wala"}, {"wali", "والی", "wali"}, {"wal", "وال", "wal"}, {"pur", "پور", "pur"},
		{"pura", "پورہ", "pura"}, {"kot", "کوٹ", "kot"}, {"abad", "آباد", "abad"}, {"nagar", "نگر", "nagar"},
		{"garh", "گڑھ", "garh"}, {"abdul", "عبدال", "abdul"}, {"ghulam", "غلام", "ghulam"}, {"allah", "اللہ", "alah"},
	}
	if len(pairs) != len(urduSuffixes)+len(urduPrefixes) {
		t.Fatalf("the test knows %d Urdu affixes, the rules have %d", len(pairs), len(urduSuffixes)+len(urduPrefixes))
	}
	// At most one suffix and one prefix can fit a word, so their order is free.
	for _, list := range [][]string{latinSuffixes, urduSuffixes} {
		for _, a := range list {
			for _, b := range list {
				if a != b && strings.HasSuffix(a, b) {
					t.Errorf("the suffix %q ends in the suffix %q", a, b)
				}
			}
		}
	}
	for _, list := range [][]string{latinPrefixes, urduPrefixes} {
		for _, a := range list {
			for _, b := range list {
				if a != b && strings.HasPrefix(a, b) {
					t.Errorf("the prefix %q begins with the prefix %q", a, b)
				}
			}
		}
	}
	affixKeys := map[string]bool{}
	for _, p := range pairs {
		if a, b := Key(p.latin), Key(Fold(p.urdu)); !slices.Equal(a, []string{p.key}) || !slices.Equal(b, a) {
			t.Errorf("Key(%q) = %q and Key(%q) = %q, want both [%s]", p.latin, a, p.urdu, b, p.key)
		}
		affixKeys[p.key] = true
	}
	for _, s := range slices.Concat(latinSuffixes, urduSuffixes, latinPrefixes, urduPrefixes) {
		if k := Key(s); len(k) != 1 || !affixKeys[k[0]] {
			t.Errorf("the affix %q keys as %q, want the one key of its Latin and Urdu writing", s, k)
		}
	}
}

func TestParseTable(t *testing.T) {
	src := "# a comment\r\n" +
		"\n" +
		"  \t \n" +
		"Hussain:\tHusain  Hussein حسین   # comment after a row\r\n" +
		"pappu: papu پپو پپو\n" +
		"alone:\n" +
		"pur: pur"
	tb, err := parseTable(src)
	if err != nil {
		t.Fatal(err)
	}
	wantKeys := map[string]string{
		"husain": "husain", "husein": "husain", "حسین": "husain",
		"papu": "papu", "پپو": "papu", "alone": "alone", "pur": "pur",
	}
	if diff := cmp.Diff(wantKeys, tb.keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	r := tb.rows["husain"]
	if r == nil || r.line != 4 {
		t.Fatalf("row husain = %+v, want one from line 4", r)
	}
	if diff := cmp.Diff([]string{"Hussain", "Husain", "Hussein", "حسین"}, r.written); diff != "" {
		t.Errorf("written forms of husain (-want +got):\n%s", diff)
	}
	if got := tb.appendWord(nil, "hussainpur"); !slices.Equal(got, []string{"husain", "pur"}) {
		t.Errorf("with this table hussainpur keys as %q", got)
	}
}

func TestParseTableErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"no colon", "ali: ali\nhusain husain\n", `line 2: "husain husain" has no ':'`},
		{"empty canonical", " : ali\n", "line 1: canonical"},
		{"Urdu canonical", "علی: ali\n", "line 1: canonical"},
		{"two-word canonical", "abdul rasheed: abdulrasheed\n", "line 1: canonical"},
		{"form in two rows", "hasan: hasan hassan\nhusain: husain hasan\n", `line 2: form "hasan" (hasan) is already in the row of line 1 (hasan)`},
		{"form in two rows once reduced", "hasan: hassan\nhasaan: hasaan\n", `line 2: form "hasaan" (hasan) is already in the row of line 1`},
		{"Urdu form in two rows once folded", "ali: علی\naly: علي\n", `line 2: form "علي" (علی) is already in the row of line 1`},
		{"two rows with one key", "muhammad: mohd\nmuhamad: md\n", `line 2: form "muhamad"`},
		{"digits", "chak: 42\n", `line 1: form "42" is digits`},
		{"letters and digits", "chak: chak42\n", `line 1: form "chak42" is digits`},
		{"punctuation", "urf: a.k.a\n", `line 1: form "a.k.a" must fold to one word`},
		{"a form that folds to nothing", "ali: \u0651\n", "line 1: form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseTable(tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseTable(%q) = %v, want an error with %q", tt.src, err, tt.want)
			}
		})
	}
}

func TestVariants(t *testing.T) {
	got := Variants("husain")
	if len(got) == 0 || got[0] != "husain" {
		t.Fatalf("Variants(husain) = %q, want the key first", got)
	}
	for _, w := range []string{"hussain", "hussein", "حسین"} {
		if !slices.Contains(got, w) {
			t.Errorf("Variants(husain) = %q, without %q", got, w)
		}
	}
	if slices.Contains(got, "hasan") || slices.Contains(got, "حسن") {
		t.Errorf("Variants(husain) = %q lists hasan", got)
	}
	if m := Variants("muhamad"); len(m) < 2 || m[0] != "muhamad" || m[1] != "muhammad" {
		t.Errorf("Variants(muhamad) = %q, want the key, then the canonical as written", m)
	}
	got[1] = "changed"
	if again := Variants("husain"); again[1] == "changed" {
		t.Error("changing the slice Variants returned changed the table")
	}
	for _, notKey := range []string{"Hussain", "hussain", "حسین", "zzz", ""} {
		if v := Variants(notKey); v != nil {
			t.Errorf("Variants(%q) = %q, want nil: it is not a key", notKey, v)
		}
	}
}

func TestVersion(t *testing.T) {
	v := Version()
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(v) {
		t.Fatalf("Version() = %q, want 16 hex digits", v)
	}
	if v != versionOf(rulesVersion, variantsTxt) {
		t.Errorf("Version() = %q is not the version of the shipped rules and table", v)
	}
	if versionOf(rulesVersion, variantsTxt+"ali: aly\n") == v {
		t.Error("a change of the table leaves the version as it is")
	}
	if versionOf(rulesVersion+"'", variantsTxt) == v {
		t.Error("a change of the rules version leaves the version as it is")
	}
}

func TestAppendKeysAllocatesNothingForTableWordsAndPlainWords(t *testing.T) {
	dst := make([]string, 0, 8)
	for _, w := range []string{"husain", "hussain", "muhammad", "khan", "khanwala", "basti", "0042", "the", "محمد", "خانوالا"} {
		if n := testing.AllocsPerRun(100, func() { dst = AppendKeys(dst[:0], w) }); n != 0 {
			t.Errorf("AppendKeys(%q) allocates %v times, want 0", w, n)
		}
	}
}

// wordGen draws single words that reach Key's rules: table forms, affixes, joined
// forms and random letters and digits of both scripts, case and marks included.
func wordGen() *rapid.Generator[string] {
	var forms []string
	for _, r := range shipped().order {
		forms = append(forms, r.written...)
	}
	affixes := slices.Concat(latinSuffixes, urduSuffixes, latinPrefixes, urduPrefixes, []string{urduArticle})
	piece := rapid.OneOf(
		rapid.SampledFrom(forms),
		rapid.SampledFrom(affixes),
		rapid.StringOfN(rapid.RuneFrom([]rune("aeioubdhklnrstwzAEK")), 1, 6, -1),
		rapid.StringOfN(rapid.RuneFrom([]rune("ابتدرسکلمنوہھیےںءآئ\u064e\u0651")), 1, 5, -1),
		rapid.StringOfN(rapid.RuneFrom([]rune("0123456789۴٢")), 1, 3, -1),
	)
	return rapid.Custom(func(t *rapid.T) string {
		return strings.Join(rapid.SliceOfN(piece, 1, 4).Draw(t, "pieces"), "")
	})
}

func TestKeyIdempotent(t *testing.T) {
	words := wordGen()
	rapid.Check(t, func(t *rapid.T) {
		w := rapid.OneOf(words, textGen).Draw(t, "word")
		for _, k := range Key(w) {
			if again := Key(k); !slices.Equal(again, []string{k}) {
				t.Fatalf("Key(%q) has %q, whose keys are %q", w, k, again)
			}
		}
	})
}

// TestFoldedWordCheckIsSound checks the shortcut of AppendKeys: a word it takes as
// folded without folding it is one that Fold leaves as it is.
func TestFoldedWordCheckIsSound(t *testing.T) {
	tb := shipped()
	words := wordGen()
	rapid.Check(t, func(t *rapid.T) {
		w := rapid.OneOf(words, textGen).Draw(t, "word")
		if tb.isFoldedWord(w) && Fold(w) != w {
			t.Fatalf("%q is taken as folded, but Fold writes it %q", w, Fold(w))
		}
	})
	for r := rune(0x600); r <= 0x6ff; r++ {
		if w := string(r) + "ب" + string(r); tb.isFoldedWord(w) && (Fold(w) != w || strings.IndexFunc(w, notWordRune) >= 0) {
			t.Errorf("%q (%U) is taken as a folded word, but Fold writes it %q", w, r, Fold(w))
		}
	}
}

func TestKeysAreLettersAndDigits(t *testing.T) {
	words := wordGen()
	rapid.Check(t, func(t *rapid.T) {
		text := rapid.OneOf(words, textGen).Draw(t, "text")
		check := func(k string) {
			if k == "" || strings.IndexFunc(k, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
				t.Fatalf("a key of %q is %q", text, k)
			}
		}
		for _, k := range Key(text) {
			check(k)
		}
		for _, k := range textKeys(text) {
			check(k)
		}
	})
}

// TestRowWritingsKeyAlike checks that a row's Latin canonical and each of its Urdu
// forms key alike however they are written: Latin in any case, Urdu with harakat,
// tatweel, zero-width characters and Arabic-keyboard letters.
func TestRowWritingsKeyAlike(t *testing.T) {
	rows := shipped().order
	arabic := map[rune][]rune{'ی': []rune("يى"), 'ک': []rune("ك"), 'ہ': []rune("ه")}
	noise := []rune("\u064e\u064f\u0650\u0651\u0652\u0640\u200c\u200d\u200b")
	rapid.Check(t, func(t *rapid.T) {
		r := rapid.SampledFrom(rows).Draw(t, "row")
		latin := []rune(r.written[0])
		for i := range latin {
			if rapid.Bool().Draw(t, "upper") {
				latin[i] = unicode.ToUpper(latin[i])
			}
		}
		want := textKeys(string(latin))
		if !slices.Equal(want, []string{r.key}) {
			t.Fatalf("the canonical %q written %q keys as %q, want [%s]", r.written[0], string(latin), want, r.key)
		}
		for _, form := range r.written {
			if asciiKind(Fold(form)) == kindLatin {
				continue
			}
			var b strings.Builder
			for i, c := range []rune(form) {
				if alt, ok := arabic[c]; ok && rapid.Bool().Draw(t, "arabic letter") {
					c = rapid.SampledFrom(alt).Draw(t, "which")
				}
				b.WriteRune(c)
				if i < len([]rune(form))-1 && rapid.IntRange(0, 3).Draw(t, "noise?") == 0 {
					b.WriteRune(rapid.SampledFrom(noise).Draw(t, "noise"))
				}
			}
			if got := textKeys(b.String()); !slices.Equal(got, want) {
				t.Fatalf("the Urdu form %q written %q keys as %q, and its canonical %q as %q", form, b.String(), got, r.written[0], want)
			}
		}
	})
}

func FuzzKey(f *testing.F) {
	for _, s := range []string{
		"Hussain Khanwala", "حسین خانوالا", "basti kandeelpur", "abdulrasheed", "عبد الرشید", "v0007", "۴۲",
		"abdurahman", "khanwalapur", "ﷺ", "ﻣﺤﻤﺪ", "خان\u200cوالا", "", "Straße",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, k := range slices.Concat(Key(s), textKeys(s)) {
			if k == "" || strings.IndexFunc(k, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
				t.Fatalf("a key of %q is %q", s, k)
			}
			if again := Key(k); !slices.Equal(again, []string{k}) {
				t.Fatalf("a key of %q is %q, whose keys are %q", s, k, again)
			}
		}
	})
}

// benchText returns about size bytes of mixed Urdu and English text: sentences of
// English and Urdu filler with the table's forms (Latin forms capitalised as names
// are) and joined place names among them.
func benchText(size int) string {
	english := strings.Fields("the complainant stated that on the night of accused persons came to his house " +
		"and took away cash and a motorcycle he recognised them in the light of a torch witness said " +
		"police recorded statement at station report was registered under section")
	urdu := strings.Fields("مدعی نے بیان کیا کہ رات کو ملزمان اس کے گھر آئے اور نقدی اور موٹر سائیکل لے گئے " +
		"اس نے انہیں ٹارچ کی روشنی میں پہچانا گواہ نے کہا پولیس نے بیان ریکارڈ کیا")
	var latin, script []string
	for _, r := range shipped().order {
		for _, w := range r.written {
			if asciiKind(Fold(w)) == kindLatin {
				latin = append(latin, strings.ToUpper(w[:1])+w[1:])
			} else {
				script = append(script, w)
			}
		}
	}
	joined := []string{"Khanwala", "Qandeelpur", "Roshanabad", "Abdulrasheed", "خانوالا", "قندیلپور", "عبدالرشید"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for b.Len() < size {
		filler, names := english, latin
		if rng.IntN(2) == 0 {
			filler, names = urdu, script
		}
		for range 12 {
			switch n := rng.IntN(10); {
			case n < 6:
				b.WriteString(filler[rng.IntN(len(filler))])
			case n < 9:
				b.WriteString(names[rng.IntN(len(names))])
			default:
				b.WriteString(joined[rng.IntN(len(joined))])
			}
			b.WriteByte(' ')
		}
		b.WriteString(". ")
		if rng.IntN(4) == 0 {
			b.WriteString(strings.Repeat("1", 1+rng.IntN(4)))
			b.WriteString("\n")
		}
	}
	return b.String()
}

// BenchmarkKeyWords keys about 1 MB of mixed Urdu and English text as the search
// index does: Words (which folds each word), then AppendKeys. Key only keys words
// split beforehand.
func BenchmarkKeyWords(b *testing.B) {
	text := benchText(1 << 20)
	b.Run("Words+Fold+Key", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		var keys []string
		for b.Loop() {
			for _, w := range Words(text) {
				keys = AppendKeys(keys[:0], w.Folded)
			}
		}
	})
	b.Run("Key", func(b *testing.B) {
		words := Words(text)
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		var keys []string
		for b.Loop() {
			for _, w := range words {
				keys = AppendKeys(keys[:0], w.Folded)
			}
		}
	})
}
