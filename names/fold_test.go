package names

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain lower ASCII is left as it is", "husain khan", "husain khan"},
		{"Latin case", "HUSSAIN Khan", "hussain khan"},
		{"Latin accents", "Ḥusayn Café Ñawaz", "husayn cafe nawaz"},
		{"sharp s folds to ss", "Straße", "strasse"},
		{"full-width Latin and digits", "ＡＢＣ１２", "abc12"},
		{"harakat, shadda and sukun", "مُحَمَّد", "محمد"},
		{"superscript alef", "مرتضیٰ", "مرتضی"},
		{"tatweel", "محـــمد", "محمد"},
		{"Arabic yeh", "علي", "علی"},
		{"alef maksura", "على", "علی"},
		{"Arabic kaf", "كامران", "کامران"},
		{"Arabic heh", "فاطمه", "فاطمہ"},
		{"teh marbuta", "فاطمة", "فاطمہ"},
		{"teh marbuta goal", "مسماۃ", "مسماہ"},
		{"ae", "قصبە", "قصبہ"},
		{"hamza on alef", "أحمد إقبال", "احمد اقبال"},
		{"madda", "آصف", "اصف"},
		{"hamza on waw", "رؤف", "روف"},
		{"hamza on yeh", "عائشہ", "عایشہ"},
		{"hamza on yeh barree", "گئۓ", "گیے"},
		{"hamza on heh goal", "ۂ", "ہ"},
		{"hamza alone stays", "ثناء", "ثناء"},
		{"presentation forms", "ﻣﺤﻤﺪ ﻋﻠﻰ", "محمد علی"},
		{"allah ligature", "ﷲ", "اللہ"},
		{"Arabic-Indic digits", "٠١٢٣٤٥٦٧٨٩", "0123456789"},
		{"Urdu digits", "چک ۴۲", "چک 42"},
		{"Devanagari digits", "४२", "42"},
		{"zero-width non-joiner", "خان\u200cوالا", "خانوالا"},
		{"zero-width space and joiner", "a\u200bb\u200dc", "abc"},
		{"direction marks and embeddings", "\u200fحسین\u202b\u202c\u200e", "حسین"},
		{"byte-order mark and soft hyphen", "\ufeffkhan\u00adwala", "khanwala"},
		{"word joiner", "khan\u2060wala", "khanwala"},
		{"retroflex letters, do-chashmi heh, noon ghunna, yeh barree stay", "بھٹی ڈوگر میاں ریلوے", "بھٹی ڈوگر میاں ریلوے"},
		{"heh goal and do-chashmi heh stay apart", "شاہد شاھد", "شاہد شاھد"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Word
	}{
		{"Latin with punctuation", "Hussain, s/o Muhammad.", []Word{
			{0, 7, "hussain"}, {9, 10, "s"}, {11, 12, "o"}, {13, 21, "muhammad"},
		}},
		{"Urdu offsets are bytes", "حسین خانوالا", []Word{
			{0, 8, "حسین"}, {9, 23, "خانوالا"},
		}},
		{"a zero-width non-joiner does not split a word", "خان\u200cوالا", []Word{
			{0, 17, "خانوالا"},
		}},
		{"a tatweel does not split a word", "محـمد", []Word{
			{0, 10, "محمد"},
		}},
		{"a format character before a word is not part of it", "\u200cعلی", []Word{
			{3, 9, "علی"},
		}},
		{"marks stay in the word", "مُحَمَّد علي", []Word{
			{0, 16, "محمد"}, {17, 23, "علی"},
		}},
		{"digits are words", "Chak ۴۲, v0007", []Word{
			{0, 4, "chak"}, {5, 9, "42"}, {11, 16, "v0007"},
		}},
		{"a ligature that folds to several words gives each, at the ligature's offsets", "ﷺ x", []Word{
			{0, 3, "صلی"}, {0, 3, "اللہ"}, {0, 3, "علیہ"}, {0, 3, "وسلم"}, {4, 5, "x"},
		}},
		{"a word that folds to nothing is left out", "a \u0651 b", []Word{
			{0, 1, "a"}, {5, 6, "b"},
		}},
		{"no words", " ,.- ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Words(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Words(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// textRunes are the characters the generated texts of the properties are drawn
// from: what Fold has rules for, so that random strings reach them.
var textRunes = []rune("abcdefghijklmnopqrstuvwxyzABCZ ÉéñßİıＡ0123456789" +
	"ابپتٹثجچحخدڈذرڑزژسشصضطظعغفقکگلمنںوہھءیےآأإؤئۓۂكيىهةۃە" +
	"\u064b\u064e\u064f\u0650\u0651\u0652\u0654\u0655\u0670\u0640" +
	"٠٩۰۹०९ﻣﺤﻤﺪﷲﷺ\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2060\ufeff\u00ad" +
	"\u0301\u0308.,/-_'")

// textGen draws strings mixing those characters with any rune.
var textGen = rapid.StringOf(rapid.OneOf(rapid.RuneFrom(textRunes), rapid.Rune()))

func TestFoldIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := textGen.Draw(t, "s")
		once := Fold(s)
		if twice := Fold(once); twice != once {
			t.Fatalf("Fold(%q) = %q, but Fold of that is %q", s, once, twice)
		}
	})
}

func TestWordsAreFoldedLettersAndDigits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := textGen.Draw(t, "s")
		for _, w := range Words(s) {
			if w.Folded == "" {
				t.Fatalf("Words(%q) gave an empty word at %d", s, w.Start)
			}
			for _, r := range w.Folded {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("Words(%q) gave %q, with %U", s, w.Folded, r)
				}
			}
			if Fold(w.Folded) != w.Folded {
				t.Fatalf("Words(%q) gave %q, which Fold changes", s, w.Folded)
			}
			if w.Start < 0 || w.End > len(s) || w.Start >= w.End {
				t.Fatalf("Words(%q) gave offsets %d..%d", s, w.Start, w.End)
			}
		}
	})
}
