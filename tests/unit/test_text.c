/* Unit tests for the text module (include/vocal/text.h): the tokenizer's
 * table of tricky inputs, offsets, sentence and clause indices, UTF-8
 * checking and decoding, normalization, stems, errors, allocation failures
 * and re-entrancy.
 *
 * The table renders each token stream in a compact form, so that one string
 * states everything about a text:
 *
 *   kind:norm[>stem][+flag...]   one token; ">stem" only when the stem differs
 *                                from norm; flags in this order: +elong +caps
 *                                +rep +negator +neg (negated) +contrast +part
 *                                (hashtag part) +inv (invalid UTF-8)
 *   " "    next token, same clause
 *   " / "  next token opens a new clause of the same sentence
 *   " | "  next token opens a new sentence
 *   {invalid=N@B} {nul=N} {bom} {caps}   info: N invalid sequences, the
 *                                first at byte B; NUL bytes; a skipped BOM;
 *                                info.all_caps
 *
 * The sentence-end and clause-end flags are not printed: render() checks
 * that they agree with the indices, so " / " and " | " state both. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util_int.h"
#include "vocal/vocal.h"

#define FFFD "\xEF\xBF\xBD"

/* MARK: helpers */

typedef struct strbuf {
    char *p;
    size_t len, cap;
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = (char *)realloc(b->p, cap);
        assert_non_null(p);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(strbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_printf(strbuf *b, const char *fmt, ...) VOCAL__PRINTF(2, 3);
static void sb_printf(strbuf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < sizeof tmp);
    sb_put(b, tmp, (size_t)n);
}

/* Invariants every token stream must satisfy, whatever the text. */
static void check_tokens(const vocal_token *t, size_t n, const vocal_text_info *info, size_t len)
{
    assert_int_equal(info->n_tokens, n);
    uint64_t prev_start = 0, prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(t[i].kind <= VOCAL_KIND_SYMBOL);
        assert_true(t[i].start < t[i].end);
        assert_true(t[i].end <= len);
        assert_true(t[i].start >= prev_start);
        /* only a hashtag's parts may lie inside another token (their hashtag) */
        if (!(t[i].flags & VOCAL_TOK_HASHTAG_PART)) {
            assert_true(t[i].start >= prev_end);
            prev_end = t[i].end;
        }
        prev_start = t[i].start;
        assert_non_null(t[i].norm);
        assert_int_equal(strlen(t[i].norm), t[i].norm_len);
        assert_non_null(t[i].stem);
        assert_int_equal(strlen(t[i].stem), t[i].stem_len);
        assert_int_equal(vocal_utf8_check(t[i].norm, t[i].norm_len, NULL), 0);
        if (t[i].kind != VOCAL_KIND_WORD) assert_string_equal(t[i].stem, t[i].norm);
        /* indices start at 0 and step by one; the end flags mark each step */
        uint32_t ps = i ? t[i - 1].sentence : 0, pc = i ? t[i - 1].clause : 0;
        assert_true(t[i].sentence == ps || (i && t[i].sentence == ps + 1));
        assert_true(t[i].clause == pc || (i && t[i].clause == pc + 1));
        if (t[i].sentence != ps) assert_int_not_equal(t[i].clause, pc);
        int last = i + 1 == n;
        int sent_end = last || t[i + 1].sentence != t[i].sentence;
        int clause_end = last || t[i + 1].clause != t[i].clause;
        assert_int_equal(!!(t[i].flags & VOCAL_TOK_SENT_END), sent_end);
        assert_int_equal(!!(t[i].flags & VOCAL_TOK_CLAUSE_END), clause_end);
    }
    assert_int_equal(info->n_sentences, n ? t[n - 1].sentence + 1 : 0);
    assert_int_equal(info->n_clauses, n ? t[n - 1].clause + 1 : 0);
    if (info->invalid == 0) assert_true(info->first_invalid == UINT64_MAX);
    else assert_true(info->first_invalid < len);
}

static const struct {
    uint32_t bit;
    const char *tag;
} flag_tags[] = {
    {VOCAL_TOK_ELONGATED, "elong"}, {VOCAL_TOK_CAPS, "caps"},         {VOCAL_TOK_REPEAT, "rep"},
    {VOCAL_TOK_NEGATOR, "negator"}, {VOCAL_TOK_NEGATED, "neg"},       {VOCAL_TOK_CONTRAST, "contrast"},
    {VOCAL_TOK_HASHTAG_PART, "part"}, {VOCAL_TOK_INVALID, "inv"},
};

/* The compact form described at the top of this file, into b (reset first). */
static void render(strbuf *b, const vocal_token *t, size_t n, const vocal_text_info *info)
{
    b->len = 0;
    sb_put(b, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (i) sb_puts(b, t[i].sentence != t[i - 1].sentence ? " | "
                          : t[i].clause != t[i - 1].clause   ? " / "
                                                             : " ");
        sb_puts(b, vocal_token_kind_name(t[i].kind));
        sb_puts(b, ":");
        sb_put(b, t[i].norm, t[i].norm_len);
        if (t[i].stem_len != t[i].norm_len || memcmp(t[i].stem, t[i].norm, t[i].norm_len) != 0) {
            sb_puts(b, ">");
            sb_put(b, t[i].stem, t[i].stem_len);
        }
        for (size_t f = 0; f < sizeof flag_tags / sizeof flag_tags[0]; f++) {
            if (!(t[i].flags & flag_tags[f].bit)) continue;
            sb_puts(b, "+");
            sb_puts(b, flag_tags[f].tag);
        }
    }
    if (info->invalid)
        sb_printf(b, "%s{invalid=%llu@%llu}", b->len ? " " : "", (unsigned long long)info->invalid,
                  (unsigned long long)info->first_invalid);
    if (info->nul_bytes) sb_printf(b, "%s{nul=%llu}", b->len ? " " : "", (unsigned long long)info->nul_bytes);
    if (info->bom) sb_printf(b, "%s{bom}", b->len ? " " : "");
    if (info->all_caps) sb_printf(b, "%s{caps}", b->len ? " " : "");
}

/* A tokenizer from a compact spec: "LANG [stem] [nosplit]"; NULL is "en",
 * without stemming (most table rows do not care about stems). */
static vocal_tokenizer *make_tokenizer(const char *spec)
{
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    char lang[32] = "en";
    o.flags = VOCAL_TEXT_NO_STEM;
    if (spec) {
        size_t l = strcspn(spec, " ");
        assert_true(l < sizeof lang);
        memcpy(lang, spec, l);
        lang[l] = '\0';
        if (strstr(spec, " stem")) o.flags &= ~VOCAL_TEXT_NO_STEM;
        if (strstr(spec, " nosplit")) o.flags |= VOCAL_TEXT_NO_HASHTAG_SPLIT;
    }
    o.language = lang;
    vocal_tokenizer *tk = NULL;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    int rc = vocal_tokenizer_new(&tk, &o, &err);
    if (rc != VOCAL_OK) print_error("tokenizer '%s': %s\n", spec ? spec : "en", err.msg);
    assert_int_equal(rc, VOCAL_OK);
    return tk;
}

static vocal_workspace *make_workspace(const vocal_tokenizer *tk)
{
    vocal_workspace *ws = NULL;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_workspace_new(&ws, tk, &err), VOCAL_OK);
    assert_non_null(ws);
    return ws;
}

/* Tokenize and render, checking the invariants on the way. */
static void tokenize_render(strbuf *b, vocal_workspace *ws, const char *s, size_t len)
{
    const vocal_token *t = (const vocal_token *)(uintptr_t)0xA5A5A5A5u;
    vocal_text_info info;
    vocal_error err;
    memset(&info, 0xA5, sizeof info);
    memset(&err, 0xA5, sizeof err);
    int n = vocal_text_tokenize(&t, &info, ws, s, len, &err);
    assert_true(n >= 0);
    assert_true(t != (const vocal_token *)(uintptr_t)0xA5A5A5A5u);
    if (n) assert_non_null(t);
    check_tokens(t, (size_t)n, &info, len);
    render(b, t, (size_t)n, &info);
}

static void render_text(strbuf *b, const char *spec, const char *s, size_t len)
{
    vocal_tokenizer *tk = make_tokenizer(spec);
    vocal_workspace *ws = make_workspace(tk);
    tokenize_render(b, ws, s, len);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

/* MARK: the table */

typedef struct tcase {
    const char *spec; /* make_tokenizer spec; NULL = English, no stemming */
    const char *input;
    size_t len;
    const char *expected;
    const char *note;
} tcase;

#define T(in, exp, note) {NULL, in, sizeof(in) - 1, exp, note}
#define TL(spec, in, exp, note) {spec, in, sizeof(in) - 1, exp, note}

static const tcase cases[] = {
    /* emoji */
    T("👍", "emoji:👍", "single emoji"),
    T("👍🏽", "emoji:👍", "skin tone: one token, norm is the base"),
    T("👍🏽👍🏿", "emoji:👍 emoji:👍", "two toned thumbs are two tokens with one norm"),
    T("great👍🏽service", "word:great emoji:👍 word:service", "emoji glued to words"),
    T("a😀b", "word:a emoji:😀 word:b", "emoji between letters"),
    T("👨‍👩‍👧", "emoji:👨‍👩‍👧", "ZWJ family is one grapheme cluster"),
    T("👩🏽‍💻", "emoji:👩‍💻", "ZWJ sequence with a skin tone keeps the ZWJ, drops the tone"),
    T("🏳️‍🌈", "emoji:🏳‍🌈", "rainbow flag: FE0F dropped from norm"),
    T("🇺🇸🇬🇧", "emoji:🇺🇸 emoji:🇬🇧", "flags pair regional indicators"),
    T("🇺🇸 🇬🇧", "emoji:🇺🇸 emoji:🇬🇧", "flags with a space"),
    T("1️⃣ #️⃣", "emoji:1⃣ emoji:#⃣", "keycaps, FE0F dropped"),
    T("*️⃣", "emoji:*⃣", "star keycap"),
    T("5️⃣ stars", "emoji:5⃣ word:stars", "keycap is not a number"),
    T("❤️", "emoji:❤", "heart with FE0F"),
    T("❤", "emoji:❤", "bare heart is an emoji too"),
    T("love❤️it", "word:love emoji:❤ word:it", "heart glued to words"),
    T("😂😂😂", "emoji:😂 emoji:😂 emoji:😂", "one token per emoji"),
    T("©", "symbol:©", "copyright sign has text presentation"),
    T("©️", "emoji:©", "copyright sign with FE0F is an emoji"),
    T("Brand™ rocks", "word:brand symbol:tm word:rocks", "trade mark is a symbol, NFKC tm"),
    T("not happy 😀 great", "word:not+negator word:happy+neg emoji:😀 word:great", "emoji ends negation"),

    /* emoticons */
    T("great:)", "word:great emoticon::)", "emoticon glued to a word"),
    T("great :-)", "word:great emoticon::-)", "emoticon with a nose"),
    T("bad:(", "word:bad emoticon::(", "sad emoticon glued"),
    T("at 10:30 :)", "word:at number:10:30 emoticon::)", "a time is not an emoticon"),
    T("10/10:)", "number:10/10 emoticon::)", "a smile right after a score"),
    T("5:0", "number:5:0", "a digit mouth after a digit is a score"),
    T("http://x.com/a:b", "url:http://x.com/a:b", "no emoticon inside a URL"),
    T("http://a.com :/", "url:http://a.com emoticon::/", "skeptical face after a URL"),
    T("a:b", "word:a punct:: / word:b", "colon between letters"),
    T("Rating:Poor", "word:rating punct:: / word:poor", ":P needs a boundary after it"),
    T("yes :D :P", "word:yes emoticon::D emoticon::P", "emoticons keep their case"),
    T(":'(", "emoticon::'(", "tear"),
    T(";)", "emoticon:;)", "wink"),
    T("(:", "emoticon:(:", "reversed smile"),
    T(">:(", "emoticon:>:(", "angry with a hat"),
    T(":)))", "emoticon::)))", "repeated mouth stays in the emoticon"),
    T("8-)", "emoticon:8-)", "glasses need a nose"),
    T("8)", "number:8 punct:)", "8) is a list item"),
    T("<3", "emoticon:<3", "heart"),
    T("i <3 it", "word:i emoticon:<3 word:it", "heart between words"),
    T("</3", "emoticon:</3", "broken heart"),
    T("<333", "emoticon:<333", "heart with more threes"),
    T("<30 mins", "punct:< number:30 word:mins", "less than thirty is no heart"),
    T("^_^", "emoticon:^_^", "eastern happy"),
    T("-_-", "emoticon:-_-", "eastern annoyed"),
    T("T_T", "emoticon:T_T", "eastern crying"),
    T("o_O", "emoticon:o_O", "eastern confused"),
    T("\\o/", "emoticon:\\o/", "cheering"),
    T("¯\\_(ツ)_/¯", "emoticon:¯\\_(ツ)_/¯", "shrug"),
    T("xD", "emoticon:xD", "laughing face"),
    T("XD", "emoticon:XD", "laughing face, capital X"),
    T("xd", "word:xd", "lower-case xd is a word (the D makes the mouth)"),
    T("xdxd", "word:xdxd", "xdxd is one word"),
    T("not happy :( at all", "word:not+negator word:happy+neg emoticon::( word:at word:all",
      "emoticon ends negation"),

    /* hashtags */
    T("#WorstServiceEver", "hashtag:#worstserviceever word:worst+part word:service+part word:ever+part",
      "camel case split"),
    T("#HTMLParser", "hashtag:#htmlparser word:html+caps+part word:parser+part", "acronym then word"),
    T("#top10", "hashtag:#top10 word:top+part number:10+part", "letters then digits"),
    T("#10years", "hashtag:#10years number:10+part word:years+part", "digits then letters"),
    T("#a_b", "hashtag:#a_b word:a+part word:b+part", "underscore splits"),
    T("#1", "punct:# number:1", "#1 has no letter: not a hashtag"),
    T("#1 product", "punct:# number:1 word:product", "number one"),
    T("#_", "punct:# punct:_", "no letter"),
    T("C#", "word:c punct:#", "C sharp"),
    T("#fail#win", "hashtag:#fail word:fail+part hashtag:#win word:win+part", "two glued hashtags"),
    T("#ÉtéIndien", "hashtag:#étéindien word:été+part word:indien+part", "accented camel case"),
    T("#日本語", "hashtag:#日本語 word:日+part word:本+part word:語+part", "one part per ideograph"),
    T("#caf\xE9", "hashtag:#caf" FFFD "+inv word:caf" FFFD "+part+inv {invalid=1@4}",
      "Latin-1 byte stays in the hashtag"),
    T("#LOL", "hashtag:#lol word:lol+caps+part {caps}", "caps part"),
    T("#NotHappy great", "hashtag:#nothappy word:not+negator+part word:happy+neg+part word:great",
      "negation inside a hashtag stays inside"),
    T("not #happy great", "word:not+negator hashtag:#happy word:happy+part word:great",
      "hashtag ends negation"),
    TL("en nosplit", "#WorstServiceEver", "hashtag:#worstserviceever", "VOCAL_TEXT_NO_HASHTAG_SPLIT"),

    /* mentions and e-mails */
    T("@united", "mention:@united", "mention"),
    T("@United_Airlines thanks", "mention:@united_airlines word:thanks", "mention folded"),
    T("@user@mastodon.social", "mention:@user@mastodon.social", "Mastodon mention"),
    T("@user@mastodon.social:", "mention:@user@mastodon.social punct::", "Mastodon mention, colon after"),
    T("(@bob)", "punct:( mention:@bob punct:)", "mention in parentheses"),
    T("not @bob nice", "word:not+negator mention:@bob word:nice", "mention ends negation"),
    T("bob@example.com", "email:bob@example.com", "an e-mail is not a mention"),
    T("Bob.Smith+x@mail.co.uk.", "email:bob.smith+x@mail.co.uk punct:.", "dotted e-mail, sentence period"),
    T("support@ACME.COM", "email:support@acme.com", "e-mail folded"),
    T("email me: a_b@x-y.org", "word:email word:me punct:: / email:a_b@x-y.org", "e-mail after a colon"),
    T("me@home", "word:me punct:@ word:home", "an @ glued to a word is no mention"),
    T("a@b.c", "word:a punct:@ word:b punct:. word:c", "one-letter top-level label: no e-mail"),

    /* URLs */
    T("see http://x.com/a.", "word:see url:http://x.com/a punct:.", "trailing period"),
    T("(see http://x.com/a)", "punct:( word:see url:http://x.com/a punct:)", "closing parenthesis"),
    T("http://en.wikipedia.org/wiki/Foo_(bar)", "url:http://en.wikipedia.org/wiki/Foo_(bar)",
      "balanced parentheses stay"),
    T("(http://en.wikipedia.org/wiki/Foo_(bar))", "punct:( url:http://en.wikipedia.org/wiki/Foo_(bar) punct:)",
      "balanced inside, unbalanced outside"),
    T("go to www.example.com, now", "word:go word:to url:www.example.com punct:, / word:now", "www URL"),
    T("https://x.com/a?b=c&d=e!", "url:https://x.com/a?b=c&d=e punct:!", "query string, exclamation"),
    T("HTTP://X.COM/A", "url:HTTP://X.COM/A", "URL norm is the raw text, not counted as caps"),
    T("https://t.co/abc…", "url:https://t.co/abc punct:...+rep", "ellipsis after a truncated link"),
    T("<http://x.com>", "punct:< url:http://x.com punct:>", "angle brackets"),
    T("\"http://x.com\"", "punct:\" url:http://x.com punct:\"", "quotes"),
    T("https://x.com/a).", "url:https://x.com/a punct:) punct:.", "parenthesis and period"),
    T("not http://x.com nice", "word:not+negator url:http://x.com word:nice", "URL ends negation"),

    /* contractions and hyphens */
    T("don't", "word:don't+negator", "n't negates"),
    T("don’t", "word:don't+negator", "typographic apostrophe folds to '"),
    T("DON'T", "word:don't+caps+negator {caps}", "caps contraction"),
    T("can't", "word:can't+negator", "can't"),
    T("won't", "word:won't+negator", "won't"),
    T("ain't bad", "word:ain't+negator word:bad+neg", "ain't"),
    T("shouldn't've", "word:shouldn't've+negator", "n't before another contraction"),
    T("customer's", "word:customer's", "possessive stays one word"),
    T("customers'", "word:customers punct:'", "trailing apostrophe is punctuation"),
    T("'quoted'", "punct:' word:quoted punct:'", "single quotes"),
    T("y'all", "word:y'all", "y'all"),
    T("rock'n'roll", "word:rock'n'roll", "two apostrophes"),
    T("e-mail", "word:e-mail", "hyphenated word"),
    T("check-in", "word:check-in", "check-in"),
    T("well-known", "word:well-known", "well-known"),
    T("5-star", "word:5-star", "number-hyphen-word is a word"),
    T("2-3 days", "number:2 punct:- number:3 word:days", "a range: the hyphen ends no clause"),
    T("good - bad", "word:good punct:- / word:bad", "spaced hyphen ends a clause"),
    T("good--bad", "word:good punct:--+rep / word:bad", "double hyphen is a dash"),
    T("good — bad", "word:good punct:— / word:bad", "em dash ends a clause"),
    T("not - good", "word:not+negator punct:- / word:good", "dash ends negation"),
    T("- fast\n- cheap", "punct:- word:fast | punct:- word:cheap", "bullets are not clause breaks"),

    /* numbers */
    T("4.5", "number:4.5", "decimal"),
    T("4.5/5", "number:4.5/5", "rating"),
    T("10%", "number:10%", "percent"),
    T("$20", "number:$20", "dollars"),
    T("€15", "number:€15", "euros before"),
    T("15€", "number:15€", "euros after"),
    T("£3.50", "number:£3.50", "pounds"),
    T("3/5", "number:3/5", "fraction"),
    T("24/7", "number:24/7", "24/7"),
    T("1,000", "number:1,000", "thousands"),
    T("2nd", "number:2nd", "ordinal"),
    T("4pm", "number:4pm", "time with unit"),
    T("10:30", "number:10:30", "time"),
    T("5K", "number:5k", "unit folded"),
    T("1000", "number:1000", "digits are never squeezed"),
    T("9/10!", "number:9/10 punct:!", "score and exclamation"),
    T("3.5stars", "number:3.5 word:stars", "decimal glued to a word"),
    T("$10voucher", "number:$10 word:voucher", "currency glued to a word"),
    T("2morrow", "word:2morrow", "digit-led slang is a word"),
    T("①", "number:1", "circled digit, NFKC"),
    T("１２３", "number:123", "fullwidth digits, NFKC"),
    T("x²", "word:x number:2", "superscript two"),

    /* elongation and repeated punctuation */
    T("soooo goood", "word:soo+elong word:good+elong", "elongation squeezed to two"),
    T("yesss", "word:yess+elong", "three letters are elongated"),
    T("cooool", "word:cool+elong", "cooool"),
    T("SOOO GOOD!!!", "word:soo+elong+caps word:good+caps punct:!!!+rep {caps}", "shouting"),
    T("wow!!!", "word:wow punct:!!!+rep", "repeated exclamation"),
    T("?!", "punct:?!+rep", "interrobang pair"),
    T("really???", "word:really punct:???+rep", "repeated question"),
    T("wow‼", "word:wow punct:!!+rep", "double exclamation sign, NFKC !!"),
    T("！！", "punct:!!+rep", "fullwidth exclamations"),
    T("...", "punct:...+rep", "three dots"),
    T("…", "punct:...+rep", "ellipsis character, NFKC ..."),
    T("hmm... ok", "word:hmm punct:...+rep / word:ok", "dots end a clause, not the sentence"),
    T("wait....what", "word:wait punct:....+rep / word:what", "four dots"),

    /* caps */
    T("GREAT", "word:great+caps {caps}", "caps word"),
    T("I", "word:i", "one letter is not caps"),
    T("OK", "word:ok+caps {caps}", "two letters are caps"),
    T("GREAT service", "word:great+caps word:service", "one caps word is not a caps text"),
    T("I HATE IT", "word:i word:hate+caps word:it+caps {caps}", "caps text"),
    T("A B", "word:a word:b", "single capitals do not shout"),
    T("NASA rocks", "word:nasa+caps word:rocks", "acronym"),
    T("ÉTÉ", "word:été+caps {caps}", "accented caps"),
    T("ПРИВЕТ", "word:привет+caps {caps}", "Cyrillic caps"),

    /* negation scope */
    T("not good", "word:not+negator word:good+neg", "not"),
    T("don't like it but love the price",
      "word:don't+negator word:like+neg word:it+neg / word:but+contrast word:love word:the word:price",
      "scope ends at but"),
    T("never again, the food was fine",
      "word:never+negator word:again+neg punct:, / word:the word:food word:was word:fine", "scope ends at ,"),
    T("without any doubt", "word:without+negator word:any+neg word:doubt+neg", "without"),
    T("hardly friendly", "word:hardly+negator word:friendly+neg", "hardly"),
    T("nobody helped me", "word:nobody+negator word:helped+neg word:me+neg", "nobody"),
    T("I dont like it", "word:i word:dont+negator word:like+neg word:it+neg", "dont spelling"),
    T("not good. great", "word:not+negator word:good+neg punct:. | word:great", "scope ends at ."),
    T("not good; great", "word:not+negator word:good+neg punct:; / word:great", "scope ends at ;"),
    T("not good! great", "word:not+negator word:good+neg punct:! | word:great", "scope ends at !"),
    T("not good? great", "word:not+negator word:good+neg punct:? | word:great", "scope ends at ?"),
    T("not good\ngreat", "word:not+negator word:good+neg | word:great", "scope ends at a line break"),
    T("not good...really", "word:not+negator word:good+neg punct:...+rep / word:really", "scope ends at ..."),
    T("not bad, not good", "word:not+negator word:bad+neg punct:, / word:not+negator word:good+neg",
      "two scopes"),
    T("it wasn't bad however the wait",
      "word:it word:wasn't+negator word:bad+neg / word:however+contrast word:the word:wait", "however"),
    T("not 5 stars", "word:not+negator number:5+neg word:stars+neg", "numbers are negated too"),
    T("No. The room was dirty.", "word:no+negator punct:. | word:the word:room word:was word:dirty punct:.",
      "No. is an answer, not an abbreviation"),
    T("No. 5 was good", "word:no punct:. number:5 word:was word:good", "No. 5 is a number, not a negation"),

    /* sentences and clauses */
    T("Mr. Smith was rude. The food was ok.",
      "word:mr punct:. word:smith word:was word:rude punct:. | word:the word:food word:was word:ok punct:.",
      "Mr. is an abbreviation"),
    T("e.g. the soup", "word:e punct:. word:g punct:. word:the word:soup", "e.g. is an abbreviation"),
    T("Great!!! Will return.", "word:great punct:!!!+rep | word:will word:return punct:.", "two sentences"),
    T("great; however, slow", "word:great punct:; / word:however+contrast punct:, / word:slow", "three clauses"),
    T("a\r\nb", "word:a | word:b", "CRLF ends a sentence"),
    T("a\r\n\r\nb", "word:a | word:b", "blank lines end one sentence"),
    T("a\rb", "word:a | word:b", "CR alone"),
    T("a\xE2\x80\xA8" "b", "word:a | word:b", "U+2028 line separator"),
    T("end.\n", "word:end punct:.", "break at the end adds nothing"),
    T("x。y", "word:x punct:。 | word:y", "ideographic full stop"),
    T("。。。", "punct:。。。+rep", "run of ideographic full stops"),
    T("ok؟ no", "word:ok punct:؟ | word:no+negator", "Arabic question mark"),

    /* invalid UTF-8 */
    T("a\x80" "b", "word:a" FFFD "b+inv {invalid=1@1}", "stray continuation byte inside a word"),
    T("\x80", "symbol:" FFFD "+inv {invalid=1@0}", "stray continuation byte alone"),
    T("\xC0\xAF", "symbol:" FFFD "+inv symbol:" FFFD "+inv {invalid=2@0}", "overlong C0 AF: two"),
    T("\xE0\x80\xAF", "symbol:" FFFD "+inv symbol:" FFFD "+inv symbol:" FFFD "+inv {invalid=3@0}",
      "overlong E0 80 AF: three"),
    T("\xED\xA0\x80", "symbol:" FFFD "+inv symbol:" FFFD "+inv symbol:" FFFD "+inv {invalid=3@0}",
      "surrogate ED A0 80: three"),
    T("ab\xE2\x82", "word:ab" FFFD "+inv {invalid=1@2}", "truncated sequence at the end: one"),
    T("\xF0\x9F\x98", "symbol:" FFFD "+inv {invalid=1@0}", "truncated emoji: one"),
    T("\xF5\x80", "symbol:" FFFD "+inv symbol:" FFFD "+inv {invalid=2@0}", "F5 is never valid"),
    T("\xFF", "symbol:" FFFD "+inv {invalid=1@0}", "FF"),
    T("\xF4\x90\x80\x80",
      "symbol:" FFFD "+inv symbol:" FFFD "+inv symbol:" FFFD "+inv symbol:" FFFD "+inv {invalid=4@0}",
      "above U+10FFFF: four"),
    T("caf\xE9", "word:caf" FFFD "+inv {invalid=1@3}", "Latin-1 word stays one word"),
    T("caf\xE9 ok", "word:caf" FFFD "+inv word:ok {invalid=1@3}", "Latin-1 word then a word"),
    T("\xE9t\xE9", "word:" FFFD "t" FFFD "+inv {invalid=2@0}", "Latin-1 word starting with a bad byte"),
    T("ok \x80\x80 ok", "word:ok symbol:" FFFD "+inv symbol:" FFFD "+inv word:ok {invalid=2@3}",
      "two stray bytes between words"),
    T("GREAT\xE9", "word:great" FFFD "+caps+inv {invalid=1@5} {caps}", "caps word with a bad byte"),

    /* BOM, NUL, white space */
    T("\xEF\xBB\xBFhello", "word:hello {bom}", "BOM skipped"),
    T("\xEF\xBB\xBF", "{bom}", "BOM only"),
    T("a\xEF\xBB\xBF" "b", "word:a word:b", "U+FEFF inside the text is a space, not a BOM"),
    T("a\0b", "word:a word:b {nul=1}", "NUL acts as a space"),
    T("\0\0", "{nul=2}", "NULs only"),
    T("", "", "empty"),
    T("   \t\n  ", "", "white space only"),
    T("a\xC2\xA0" "b", "word:a word:b", "no-break space"),
    T("x \xEF\xB8\x8F y\xE2\x80\x8D", "word:x word:y", "stray variation selector and ZWJ leave no token"),

    /* NFKC and case folding */
    T("ＧＲＥＡＴ", "word:great+caps {caps}", "fullwidth letters"),
    T("ﬁne", "word:fine", "fi ligature"),
    T("Straße", "word:strasse", "sharp s folds to ss"),
    T("ΣΊΣΥΦΟΣ", "word:σίσυφοσ+caps {caps}", "Greek caps; final sigma folds to σ"),
    T("Σίσυφος", "word:σίσυφοσ", "final ς folds to σ, so both spellings match"),
    T("İstanbul", "word:istanbul", "Turkish dotted I folds to plain i"),
    T("ıssız", "word:ıssız", "dotless ı is kept"),
    T("cafe\xCC\x81", "word:café", "combining accent composes (NFC)"),
    T("ｶﾀｶﾅ", "word:カタカナ", "halfwidth katakana"),
    T("Ⅻ", "number:xii", "Roman numeral"),

    /* scripts */
    T("مرحبا", "word:مرحبا", "Arabic word"),
    T("مَرْحَبًا بِكُمْ", "word:مَرْحَبًا word:بِكُمْ", "Arabic harakat stay in the word"),
    T("\xD7\xA9\xD7\x81\xD6\xB8\xD7\x9C\xD7\x95\xD6\xB9\xD7\x9D \xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D",
      "word:\xD7\xA9\xD6\xB8\xD7\x81\xD7\x9C\xD7\x95\xD6\xB9\xD7\x9D word:\xD7\xA2\xD7\x95\xD7\x9C\xD7\x9D",
      "Hebrew points stay in the word and come in canonical order (qamats before shin dot)"),
    T("每个汉字", "word:每 word:个 word:汉 word:字", "one token per ideograph"),
    T("カタカナ", "word:カタカナ", "katakana run"),
    T("テキストの", "word:テキスト word:の", "katakana then hiragana"),
    T("すごーい", "word:すごーい", "prolonged sound mark inside hiragana"),
    T("안녕하세요 세계", "word:안녕하세요 word:세계", "Korean words by spaces"),
    T("สวัสดีครับ", "word:สวัสดีครับ", "Thai run"),
    T("iPhone很好", "word:iphone word:很 word:好", "Latin then Han"),
    T("Привет мир", "word:привет word:мир", "Cyrillic"),

    /* languages */
    TL("fr", "l'hôtel n'est pas bon",
       "word:l' word:hôtel word:n'+negator word:est+neg word:pas+negator word:bon+neg", "French elision, n'"),
    TL("fr", "L'HÔTEL", "word:l' word:hôtel+caps {caps}", "French elision in caps"),
    TL("fr", "jusqu'à", "word:jusqu' word:à", "jusqu' elides"),
    TL("fr", "aujourd'hui", "word:aujourd'hui", "aujourd'hui stays whole"),
    TL("fr", "c'est nul, mais bon", "word:c' word:est word:nul punct:, / word:mais+contrast word:bon",
       "French contrast"),
    T("l'hôtel", "word:l'hôtel", "no elision in English"),
    TL("it", "l'albergo non è buono", "word:l' word:albergo word:non+negator word:è+neg word:buono+neg",
       "Italian"),
    TL("it", "dell'albergo", "word:dell' word:albergo", "Italian dell'"),
    TL("de", "nicht gut", "word:nicht+negator word:gut+neg", "German negator"),
    TL("de", "kein Problem, aber teuer",
       "word:kein+negator word:problem+neg punct:, / word:aber+contrast word:teuer", "German contrast"),
    TL("es", "nunca más, pero bien",
       "word:nunca+negator word:más+neg punct:, / word:pero+contrast word:bien", "Spanish"),

    /* stems */
    TL("en stem", "delivered delivery running happily",
       "word:delivered>deliv word:delivery>deliveri word:running>run word:happily>happili", "English stems"),
    TL("en stem", "GENEROUSLY", "word:generously>generous+caps {caps}", "stem of a caps word"),
    TL("en stem", "#WorstServiceEver",
       "hashtag:#worstserviceever word:worst+part word:service>servic+part word:ever+part", "hashtag parts stem"),
    TL("en stem", ":) 10% http://x.com", "emoticon::) number:10% url:http://x.com", "only words stem"),
    TL("es stem", "no me gusta", "word:no+negator word:me+neg word:gusta>gust+neg", "Spanish stemmer"),
    TL("es stem", "corriendo rápidamente", "word:corriendo>corr word:rápidamente>rapid", "Spanish stems"),
    TL("porter stem", "don't delivered", "word:don't+negator word:delivered>deliv+neg",
       "porter keeps English rules"),
};

static void test_text__table_of_tricky_inputs_tokenizes_as_specified(void **state)
{
    (void)state;
    strbuf b = {0};
    size_t failures = 0, n = sizeof cases / sizeof cases[0];
    assert_true(n >= 170);
    for (size_t i = 0; i < n; i++) {
        render_text(&b, cases[i].spec, cases[i].input, cases[i].len);
        if (strcmp(b.p, cases[i].expected) != 0) {
            print_error("case %zu (%s): %s\n  expected: %s\n  got:      %s\n", i, cases[i].note,
                        cases[i].spec ? cases[i].spec : "en", cases[i].expected, b.p);
            failures++;
        }
    }
    free(b.p);
    assert_int_equal(failures, 0);
}

/* MARK: offsets, indices */

static void expect_slices(const char *s, size_t len, const char *const *want, size_t nwant)
{
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t;
    vocal_text_info info;
    int n = vocal_text_tokenize(&t, &info, ws, s, len, NULL);
    assert_int_equal(n, (int)nwant);
    check_tokens(t, (size_t)n, &info, len);
    for (size_t i = 0; i < nwant; i++) {
        size_t l = (size_t)(t[i].end - t[i].start);
        if (l != strlen(want[i]) || memcmp(s + t[i].start, want[i], l) != 0)
            fail_msg("token %zu: want '%s', got '%.*s'", i, want[i], (int)l, s + t[i].start);
    }
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

#define SLICES(s, ...)                                                                                 \
    do {                                                                                               \
        static const char *const want_[] = {__VA_ARGS__};                                              \
        expect_slices(s, sizeof(s) - 1, want_, sizeof want_ / sizeof want_[0]);                        \
    } while (0)

static void test_text__token_offsets_slice_the_original_text(void **state)
{
    (void)state;
    SLICES("Ça va? 👍🏽 #TopService @bob http://x.com/a.", "Ça", "va", "?", "👍🏽", "#TopService", "Top",
           "Service", "@bob", "http://x.com/a", ".");
    SLICES("\xEF\xBB\xBF" "caf\xE9 ＧＲＥＡＴ!!!", "caf\xE9", "ＧＲＥＡＴ", "!!!");
    SLICES("soooo goood :-) <3", "soooo", "goood", ":-)", "<3");
    SLICES("l'hôtel n’est pas 每个 👨‍👩‍👧\r\n€15", "l'hôtel", "n’est", "pas", "每", "个", "👨‍👩‍👧", "€15");
    SLICES("a\0b \x80 Straße", "a", "b", "\x80", "Straße");
    SLICES("…  ‼ 1️⃣ ½", "…", "‼", "1️⃣", "½");
    /* French elision splits inside one run of letters */
    {
        static const char s[] = "qu’il l'hôtel";
        vocal_tokenizer *tk = make_tokenizer("fr");
        vocal_workspace *ws = make_workspace(tk);
        const vocal_token *t;
        assert_int_equal(vocal_text_tokenize(&t, NULL, ws, s, sizeof s - 1, NULL), 4);
        static const char *const want[] = {"qu’", "il", "l'", "hôtel"};
        for (int i = 0; i < 4; i++) {
            assert_int_equal(t[i].end - t[i].start, strlen(want[i]));
            assert_memory_equal(s + t[i].start, want[i], strlen(want[i]));
        }
        assert_string_equal(t[0].norm, "qu'");
        vocal_workspace_free(ws);
        vocal_tokenizer_free(tk);
    }
}

static void test_text__hashtag_parts_lie_inside_their_hashtag(void **state)
{
    (void)state;
    static const char s[] = "so #WorstServiceEver!";
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t;
    assert_int_equal(vocal_text_tokenize(&t, NULL, ws, s, sizeof s - 1, NULL), 6);
    assert_int_equal(t[1].kind, VOCAL_KIND_HASHTAG);
    assert_int_equal(t[1].start, 3);
    assert_int_equal(t[1].end, 20);
    static const uint64_t start[] = {4, 9, 16}, end[] = {9, 16, 20};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(t[2 + i].start, start[i]);
        assert_int_equal(t[2 + i].end, end[i]);
        assert_true(t[2 + i].flags & VOCAL_TOK_HASHTAG_PART);
    }
    assert_int_equal(t[5].kind, VOCAL_KIND_PUNCT);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__sentence_and_clause_indices_count_over_the_whole_text(void **state)
{
    (void)state;
    static const char s[] = "Food was great, but slow. Never again!\r\nOK then";
    /*                       0    1   2    3 | 4   5   6 |7     8    9  |10 11      */
    static const uint32_t sent[] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2};
    static const uint32_t clause[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3};
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t;
    vocal_text_info info;
    memset(&info, 0xA5, sizeof info);
    int n = vocal_text_tokenize(&t, &info, ws, s, sizeof s - 1, NULL);
    assert_int_equal(n, 12);
    for (int i = 0; i < n; i++) {
        assert_int_equal(t[i].sentence, sent[i]);
        assert_int_equal(t[i].clause, clause[i]);
    }
    assert_int_equal(info.n_sentences, 3);
    assert_int_equal(info.n_clauses, 4);
    assert_true(t[3].flags & VOCAL_TOK_CLAUSE_END);  /* "," */
    assert_true(t[6].flags & VOCAL_TOK_SENT_END);    /* "." */
    assert_true(t[9].flags & VOCAL_TOK_SENT_END);    /* "!" before CRLF */
    assert_true(t[11].flags & VOCAL_TOK_SENT_END);   /* the last token */
    assert_true(t[8].flags & VOCAL_TOK_NEGATED);     /* "again" */
    assert_false(t[10].flags & VOCAL_TOK_NEGATED);   /* "OK": the scope ended at "!" */
    assert_false(info.all_caps);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__emoticon_is_not_split_out_of_a_url(void **state)
{
    (void)state;
    static const char s[] = "http://x.com/a:b :) https://y.org/:P/x:(y www.z.com/:-)/x";
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t;
    int n = vocal_text_tokenize(&t, NULL, ws, s, sizeof s - 1, NULL);
    assert_int_equal(n, 4);
    static const uint32_t kind[] = {VOCAL_KIND_URL, VOCAL_KIND_EMOTICON, VOCAL_KIND_URL, VOCAL_KIND_URL};
    static const char *const text[] = {"http://x.com/a:b", ":)", "https://y.org/:P/x:(y", "www.z.com/:-)/x"};
    for (int i = 0; i < n; i++) {
        assert_int_equal(t[i].kind, kind[i]);
        assert_int_equal(t[i].end - t[i].start, strlen(text[i]));
        assert_memory_equal(s + t[i].start, text[i], strlen(text[i]));
    }
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

/* MARK: big inputs */

static void test_text__a_megabyte_line_tokenizes_without_trouble(void **state)
{
    (void)state;
    /* Each unit repeated to 1 MiB with no line break; per-unit token counts
     * make the totals exact. 0 = only sanity checks. The shapes target
     * quadratic traps: e-mail candidates that never meet an '@' ("a.",
     * "1-"), endless accents, endless words. */
    static const struct {
        const char *unit;
        size_t tokens_per_unit;
    } shapes[] = {
        {"The food was great but the wait was LONG!!! 👍🏽 #WorstWaitEver @cafe http://x.co/a :) ", 18},
        {"a.", 2},
        {"a_", 2},
        {"1-", 0},
        {"a%", 2},
        {".a", 2},
        {"x@y.com ", 1},
        {"\xF0\x9F\x98\x80", 1},
        {"\x80", 1},
        {"#a", 2},
        {":)", 1},
        {"\xE5\xA5\xBD", 1},
        {"a", 0},
        {"\xCC\x81\xCC\xA3", 0},
        {"soooo", 0},
        {"\xE2\x80\xA6", 0},
        {"- ", 1},
    };
    const size_t cap = (size_t)1 << 20;
    char *buf = (char *)malloc(cap);
    assert_non_null(buf);
    vocal_tokenizer *tk = make_tokenizer("en stem");
    vocal_workspace *ws = make_workspace(tk);
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        size_t ul = strlen(shapes[k].unit), len = 0, units = 0;
        while (len + ul <= cap) {
            memcpy(buf + len, shapes[k].unit, ul);
            len += ul;
            units++;
        }
        const vocal_token *t;
        vocal_text_info info;
        int n = vocal_text_tokenize(&t, &info, ws, buf, len, NULL);
        assert_true(n > 0);
        assert_true((size_t)n <= len);
        check_tokens(t, (size_t)n, &info, len);
        if (shapes[k].tokens_per_unit) assert_int_equal((size_t)n, units * shapes[k].tokens_per_unit);
    }
    /* one enormous word: squeezed to two letters, kept as one token, not stemmed */
    memset(buf, 'a', cap);
    const vocal_token *t;
    assert_int_equal(vocal_text_tokenize(&t, NULL, ws, buf, cap, NULL), 1);
    assert_string_equal(t[0].norm, "aa");
    assert_true(t[0].flags & VOCAL_TOK_ELONGATED);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    free(buf);
}

static void test_text__text_over_the_size_limit_is_refused(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t = (const vocal_token *)(uintptr_t)1;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    /* The length is checked before any byte is read, so a short buffer is safe. */
    int rc = vocal_text_tokenize(&t, NULL, ws, "x", ((size_t)1 << 30) + 1, &err);
    assert_int_equal(rc, VOCAL_EINPUT);
    assert_null(t);
    assert_int_equal(err.code, VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "limit"));
    /* the workspace still works */
    assert_int_equal(vocal_text_tokenize(&t, NULL, ws, "ok", 2, NULL), 1);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

/* MARK: stems */

static void test_text__stem_cache_returns_the_same_stem_twice(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer("en stem");
    vocal_workspace *ws = make_workspace(tk);
    static const struct {
        const char *word, *stem;
    } known[] = {
        {"delivered", "deliv"}, {"delivery", "deliveri"}, {"running", "run"},     {"happily", "happili"},
        {"generously", "generous"}, {"cats", "cat"},      {"service", "servic"}, {"friendly", "friend"},
        {"rude", "rude"},           {"waited", "wait"},
    };
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            const char *out = NULL;
            size_t ol = 12345;
            vocal_error err;
            memset(&err, 0xA5, sizeof err);
            assert_int_equal(vocal_text_stem(&out, &ol, ws, known[i].word, strlen(known[i].word), &err),
                             VOCAL_OK);
            assert_string_equal(out, known[i].stem);
            assert_int_equal(ol, strlen(known[i].stem));
        }
    }
    /* beyond the first cache capacity (the table grows and rehashes): a word
     * stemmed before the growth still gets the same stem after it */
    char first[32][32];
    for (int i = 0; i < 5000; i++) {
        char w[32];
        int wl = snprintf(w, sizeof w, "fooling%dings", i);
        const char *out;
        size_t ol;
        assert_int_equal(vocal_text_stem(&out, &ol, ws, w, (size_t)wl, NULL), VOCAL_OK);
        assert_int_equal(strlen(out), ol);
        if (i < 32) snprintf(first[i], sizeof first[i], "%s", out);
    }
    for (int i = 0; i < 32; i++) {
        char w[32];
        int wl = snprintf(w, sizeof w, "fooling%dings", i);
        const char *out;
        assert_int_equal(vocal_text_stem(&out, NULL, ws, w, (size_t)wl, NULL), VOCAL_OK);
        assert_string_equal(out, first[i]);
    }
    /* the stem a token gets is the stem vocal_text_stem gives */
    const vocal_token *t;
    assert_int_equal(vocal_text_tokenize(&t, NULL, ws, "Delivered happily", 17, NULL), 2);
    assert_string_equal(t[0].stem, "deliv");
    assert_string_equal(t[1].stem, "happili");
    /* a word too long to be a word is handed back as is */
    char longw[300];
    memset(longw, 'x', sizeof longw);
    const char *out;
    size_t ol;
    assert_int_equal(vocal_text_stem(&out, &ol, ws, longw, sizeof longw, NULL), VOCAL_OK);
    assert_int_equal(ol, sizeof longw);
    assert_memory_equal(out, longw, sizeof longw);
    assert_int_equal(out[ol], '\0');
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__stem_uses_the_language_stemmer(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer("es stem");
    vocal_workspace *ws = make_workspace(tk);
    const char *out;
    size_t ol;
    assert_int_equal(vocal_text_stem(&out, &ol, ws, "corriendo", 9, NULL), VOCAL_OK);
    assert_string_equal(out, "corr");
    assert_int_equal(vocal_text_stem(&out, &ol, ws, "rápidamente", strlen("rápidamente"), NULL), VOCAL_OK);
    assert_string_equal(out, "rapid");
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__no_stem_option_keeps_stem_equal_to_norm(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer(NULL); /* VOCAL_TEXT_NO_STEM */
    assert_string_equal(vocal_tokenizer_stemmer(tk), "");
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t;
    static const char s[] = "delivered running HAPPILY";
    int n = vocal_text_tokenize(&t, NULL, ws, s, sizeof s - 1, NULL);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        assert_string_equal(t[i].stem, t[i].norm);
        assert_int_equal(t[i].stem_len, t[i].norm_len);
    }
    const char *out;
    size_t ol;
    assert_int_equal(vocal_text_stem(&out, &ol, ws, "delivered", 9, NULL), VOCAL_OK);
    assert_string_equal(out, "delivered");
    assert_int_equal(ol, 9);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__stem_keeps_tokens_valid(void **state)
{
    (void)state;
    /* tokens live until the next tokenize call: stemming in between (as a
     * lexicon lookup does) must not move or overwrite them */
    static const char *const specs[] = {NULL, "en stem"};
    for (int k = 0; k < 2; k++) {
        vocal_tokenizer *tk = make_tokenizer(specs[k]);
        vocal_workspace *ws = make_workspace(tk);
        static const char s[] = "The staff were friendly and the rooms were clean";
        const vocal_token *t;
        int n = vocal_text_tokenize(&t, NULL, ws, s, sizeof s - 1, NULL);
        assert_int_equal(n, 9);
        strbuf before = {0}, after = {0};
        vocal_text_info info = {0};
        info.n_tokens = (size_t)n;
        info.first_invalid = UINT64_MAX;
        render(&before, t, (size_t)n, &info);
        char big[4000];
        memset(big, 'q', sizeof big);
        const char *out;
        for (int i = 0; i < 50; i++)
            assert_int_equal(vocal_text_stem(&out, NULL, ws, big, sizeof big - (size_t)i, NULL), VOCAL_OK);
        assert_int_equal(vocal_text_stem(&out, NULL, ws, "friendly", 8, NULL), VOCAL_OK);
        render(&after, t, (size_t)n, &info);
        assert_string_equal(before.p, after.p);
        free(before.p);
        free(after.p);
        vocal_workspace_free(ws);
        vocal_tokenizer_free(tk);
    }
}

/* MARK: UTF-8 */

typedef struct utf8case {
    const char *s;
    size_t len;
    uint64_t invalid;   /* vocal_utf8_check */
    size_t first_bad;
    int32_t cp;         /* vocal_utf8_decode of the first sequence */
    int bad;
    size_t consumed;
} utf8case;

#define U(s, inv, first, cp, bad, used) {s, sizeof(s) - 1, inv, first, cp, bad, used}

/* Unicode §3.9 (U+FFFD substitution of maximal subparts) and its Table 3-8. */
static const utf8case utf8_cases[] = {
    U("A", 0, 1, 0x41, 0, 1),
    U("\xC3\xA9", 0, 2, 0xE9, 0, 2),
    U("\xE2\x82\xAC", 0, 3, 0x20AC, 0, 3),
    U("\xF0\x9F\x98\x80", 0, 4, 0x1F600, 0, 4),
    U("\xEF\xBB\xBF", 0, 3, 0xFEFF, 0, 3),
    U("\xED\x9F\xBF", 0, 3, 0xD7FF, 0, 3),
    U("\xEE\x80\x80", 0, 3, 0xE000, 0, 3),
    U("\xF4\x8F\xBF\xBF", 0, 4, 0x10FFFF, 0, 4),
    U("\x80", 1, 0, 0xFFFD, 1, 1),
    U("\xBF\x80", 2, 0, 0xFFFD, 1, 1),
    U("\xC0\xAF", 2, 0, 0xFFFD, 1, 1),
    U("\xC1\xBF", 2, 0, 0xFFFD, 1, 1),
    U("\xC2", 1, 0, 0xFFFD, 1, 1),
    U("\xC2\x41", 1, 0, 0xFFFD, 1, 1),
    U("\xE0\x80", 2, 0, 0xFFFD, 1, 1),
    U("\xE0\x80\xAF", 3, 0, 0xFFFD, 1, 1),
    U("\xE0\xA0", 1, 0, 0xFFFD, 1, 2),
    U("\xE2\x82", 1, 0, 0xFFFD, 1, 2),
    U("\xE2\x82\x41", 1, 0, 0xFFFD, 1, 2),
    U("\xED\xA0\x80", 3, 0, 0xFFFD, 1, 1),
    U("\xED\xBF\xBF", 3, 0, 0xFFFD, 1, 1),
    U("\xF0\x80\x80", 3, 0, 0xFFFD, 1, 1),
    U("\xF0\x80\x80\x80", 4, 0, 0xFFFD, 1, 1),
    U("\xF0\x9F\x98", 1, 0, 0xFFFD, 1, 3),
    U("\xF0\x9F", 1, 0, 0xFFFD, 1, 2),
    U("\xF4\x90\x80\x80", 4, 0, 0xFFFD, 1, 1),
    U("\xF5\x80", 2, 0, 0xFFFD, 1, 1),
    U("\xF8\x88\x80\x80\x80", 5, 0, 0xFFFD, 1, 1),
    U("\xFE\xFF", 2, 0, 0xFFFD, 1, 1),
    U("a\xE2\x82", 1, 1, 0x61, 0, 1),
    U("\xC3\xA9\x80", 1, 2, 0xE9, 0, 2),
    /* Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 -> a FFFD FFFD FFFD b FFFD c FFFD FFFD d */
    U("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 6, 1, 0x61, 0, 1),
};

static void test_text__utf8_check_counts_maximal_subparts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const utf8case *c = &utf8_cases[i];
        size_t first = 0xA5A5A5A5u;
        uint64_t got = vocal_utf8_check(c->s, c->len, &first);
        if (got != c->invalid || first != c->first_bad)
            fail_msg("case %zu: want %llu invalid at %zu, got %llu at %zu", i, (unsigned long long)c->invalid,
                     c->first_bad, (unsigned long long)got, first);
        assert_int_equal(vocal_utf8_check(c->s, c->len, NULL), c->invalid);
    }
    size_t first = 7;
    assert_int_equal(vocal_utf8_check("", 0, &first), 0);
    assert_int_equal(first, 0);
}

static void test_text__utf8_decode_consumes_maximal_subparts(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof utf8_cases / sizeof utf8_cases[0]; i++) {
        const utf8case *c = &utf8_cases[i];
        int32_t cp = -7;
        int bad = -7;
        size_t used = vocal_utf8_decode(&cp, &bad, c->s, c->len);
        if (cp != c->cp || bad != c->bad || used != c->consumed)
            fail_msg("case %zu: want U+%04X bad=%d used=%zu, got U+%04X bad=%d used=%zu", i, (unsigned)c->cp,
                     c->bad, c->consumed, (unsigned)cp, bad, used);
        assert_int_equal(vocal_utf8_decode(&cp, NULL, c->s, c->len), c->consumed);
        /* looping on decode substitutes exactly as vocal_utf8_check counts */
        uint64_t nbad = 0;
        for (size_t at = 0; at < c->len;) {
            size_t k = vocal_utf8_decode(&cp, &bad, c->s + at, c->len - at);
            assert_true(k >= 1 && k <= c->len - at);
            nbad += (uint64_t)bad;
            at += k;
        }
        assert_int_equal(nbad, c->invalid);
    }
}

/* MARK: normalize */

static void test_text__normalize_folds_and_reports_the_size_it_needs(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } norm[] = {
        {"ＧＲＥＡＴ Straße ﬁne", "great strasse fine"},
        {"Soooo GOOD", "soooo good"},                   /* no squeezing here */
        {"caf\xE9", "caf" FFFD},                        /* invalid byte */
        {"İstanbul ıssız", "istanbul ıssız"},
        {"ΣΊΣΥΦΟΣ", "σίσυφοσ"},
        {"don’t", "don't"},
        {"a\xCC\xA3\xCC\x81", "\xE1\xBA\xA1\xCC\x81"},    /* canonical order, then composition */
        {"a\xCC\x81\xCC\xA3", "\xE1\xBA\xA1\xCC\x81"},
        {"soft\xC2\xADhyphen", "softhyphen"},           /* default-ignorable dropped */
        {"① ½ Ⅻ", "1 1\xE2\x81\x84" "2 xii"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof norm / sizeof norm[0]; i++) {
        char dst[128];
        size_t need = 0xA5A5;
        vocal_error err;
        memset(&err, 0xA5, sizeof err);
        memset(dst, 0xA5, sizeof dst);
        assert_int_equal(vocal_text_normalize(dst, sizeof dst, &need, norm[i].in, strlen(norm[i].in), &err),
                         VOCAL_OK);
        assert_string_equal(dst, norm[i].out);
        assert_int_equal(need, strlen(norm[i].out));
    }
    /* too small: VOCAL_EBUFS with the size needed; the NUL needs a byte too */
    static const char in[] = "ＧＲＥＡＴ";
    size_t need = 0;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_text_normalize(NULL, 0, &need, in, sizeof in - 1, &err), VOCAL_EBUFS);
    assert_int_equal(need, 5);
    assert_int_equal(err.code, VOCAL_EBUFS);
    assert_non_null(strstr(err.msg, "6"));
    char small[5];
    memset(small, 0xA5, sizeof small);
    need = 0;
    assert_int_equal(vocal_text_normalize(small, sizeof small, &need, in, sizeof in - 1, NULL), VOCAL_EBUFS);
    assert_int_equal(need, 5);
    char exact[6];
    assert_int_equal(vocal_text_normalize(exact, sizeof exact, &need, in, sizeof in - 1, NULL), VOCAL_OK);
    assert_string_equal(exact, "great");
    /* s may be NULL when len is 0 */
    assert_int_equal(vocal_text_normalize(exact, sizeof exact, &need, NULL, 0, NULL), VOCAL_OK);
    assert_string_equal(exact, "");
    assert_int_equal(need, 0);
}

/* MARK: tokenizer options and word lists */

static void test_text__tokenizer_new_rejects_an_unknown_language(void **state)
{
    (void)state;
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    o.language = "klingon";
    vocal_tokenizer *tk = (vocal_tokenizer *)(uintptr_t)1;
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_tokenizer_new(&tk, &o, &err), VOCAL_EINPUT);
    assert_null(tk);
    assert_int_equal(err.code, VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "klingon"));
    assert_string_equal(err.path, "");
    assert_int_equal(err.line, 0);
    assert_true(err.byte == UINT64_MAX);
    /* err may be NULL */
    tk = (vocal_tokenizer *)(uintptr_t)1;
    assert_int_equal(vocal_tokenizer_new(&tk, &o, NULL), VOCAL_EINPUT);
    assert_null(tk);
}

static void test_text__tokenizer_new_rejects_a_bad_options_version(void **state)
{
    (void)state;
    static const unsigned versions[] = {0, VOCAL_TEXT_OPTIONS_VERSION + 1, 0xA5A5A5A5u};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
        o.version = versions[i];
        vocal_tokenizer *tk = (vocal_tokenizer *)(uintptr_t)1;
        vocal_error err;
        memset(&err, 0xA5, sizeof err);
        assert_int_equal(vocal_tokenizer_new(&tk, &o, &err), VOCAL_EINPUT);
        assert_null(tk);
        assert_int_equal(err.code, VOCAL_EINPUT);
        assert_non_null(strstr(err.msg, "version"));
    }
}

static void test_text__tokenizer_reports_language_and_stemmer(void **state)
{
    (void)state;
    static const struct {
        const char *language; /* NULL = default */
        uint32_t flags;
        const char *iso, *stemmer;
    } want[] = {
        {NULL, 0, "en", "english"},           {"en", 0, "en", "english"},
        {"english", 0, "en", "english"},      {"porter", 0, "en", "porter"},
        {"es", 0, "es", "spanish"},           {"german", 0, "de", "german"},
        {"fr", VOCAL_TEXT_NO_STEM, "fr", ""}, {"tr", 0, "tr", "turkish"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
        o.language = want[i].language;
        o.flags = want[i].flags;
        vocal_tokenizer *tk = NULL;
        assert_int_equal(vocal_tokenizer_new(&tk, &o, NULL), VOCAL_OK);
        assert_string_equal(vocal_tokenizer_language(tk), want[i].iso);
        assert_string_equal(vocal_tokenizer_stemmer(tk), want[i].stemmer);
        vocal_tokenizer_free(tk);
    }
    /* NULL options mean VOCAL_TEXT_OPTIONS_INIT */
    vocal_tokenizer *tk = NULL;
    assert_int_equal(vocal_tokenizer_new(&tk, NULL, NULL), VOCAL_OK);
    assert_string_equal(vocal_tokenizer_language(tk), "en");
    vocal_tokenizer_free(tk);
}

static void test_text__set_words_replaces_the_negators(void **state)
{
    (void)state;
    strbuf b = {0};
    vocal_tokenizer *tk = make_tokenizer(NULL);
    static const char *const neg[] = {"nope", "nah"};
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_tokenizer_set_words(tk, VOCAL_WORDS_NEGATORS, neg, 2, &err), VOCAL_OK);
    static const char *const con[] = {"yet"};
    assert_int_equal(vocal_tokenizer_set_words(tk, VOCAL_WORDS_CONTRAST, con, 1, NULL), VOCAL_OK);
    vocal_workspace *ws = make_workspace(tk);
    tokenize_render(&b, ws, "not good, nope good", 19);
    assert_string_equal(b.p, "word:not word:good punct:, / word:nope+negator word:good+neg");
    tokenize_render(&b, ws, "good but bad yet fine", 21);
    assert_string_equal(b.p, "word:good word:but word:bad / word:yet+contrast word:fine");
    /* the n't rule is not a list entry: it survives the replacement */
    tokenize_render(&b, ws, "don't like", 10);
    assert_string_equal(b.p, "word:don't+negator word:like+neg");
    vocal_workspace_free(ws);

    /* an empty list turns the listed negators off */
    assert_int_equal(vocal_tokenizer_set_words(tk, VOCAL_WORDS_NEGATORS, NULL, 0, NULL), VOCAL_OK);
    ws = make_workspace(tk);
    tokenize_render(&b, ws, "nope good", 9);
    assert_string_equal(b.p, "word:nope word:good");
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    free(b.p);
}

static void test_text__set_words_rejects_bad_input(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer(NULL);
    static const char *const words[] = {"never", ""};
    vocal_error err;
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_tokenizer_set_words(tk, VOCAL_WORDS_NEGATORS, words, 2, &err), VOCAL_EINPUT);
    assert_int_equal(err.code, VOCAL_EINPUT);
    assert_non_null(strstr(err.msg, "1"));
    memset(&err, 0xA5, sizeof err);
    assert_int_equal(vocal_tokenizer_set_words(tk, (vocal_wordlist)7, words, 1, &err), VOCAL_EINPUT);
    assert_int_equal(err.code, VOCAL_EINPUT);
    /* a failed call leaves the old list in place */
    strbuf b = {0};
    vocal_workspace *ws = make_workspace(tk);
    tokenize_render(&b, ws, "never good", 10);
    assert_string_equal(b.p, "word:never+negator word:good+neg");
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    free(b.p);
}

static void test_text__free_functions_accept_null(void **state)
{
    (void)state;
    vocal_tokenizer_free(NULL);
    vocal_workspace_free(NULL);
}

static void test_text__info_may_be_null_and_text_may_be_null_when_empty(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer(NULL);
    vocal_workspace *ws = make_workspace(tk);
    const vocal_token *t = NULL;
    assert_int_equal(vocal_text_tokenize(&t, NULL, ws, "a b c", 5, NULL), 3);
    assert_non_null(t);
    vocal_text_info info;
    memset(&info, 0xA5, sizeof info);
    assert_int_equal(vocal_text_tokenize(&t, &info, ws, NULL, 0, NULL), 0);
    assert_int_equal(info.n_tokens, 0);
    assert_int_equal(info.invalid, 0);
    assert_true(info.first_invalid == UINT64_MAX);
    assert_int_equal(info.nul_bytes, 0);
    assert_int_equal(info.bom, 0);
    assert_int_equal(info.n_sentences, 0);
    assert_int_equal(info.n_clauses, 0);
    assert_int_equal(info.all_caps, 0);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

static void test_text__kind_and_flag_names(void **state)
{
    (void)state;
    static const char *const kinds[] = {"word",    "number", "url",      "email", "mention",
                                        "hashtag", "emoji",  "emoticon", "punct", "symbol"};
    for (uint32_t k = 0; k < 10; k++) assert_string_equal(vocal_token_kind_name(k), kinds[k]);
    assert_string_equal(vocal_token_kind_name(10), "?");
    assert_string_equal(vocal_token_kind_name(UINT32_MAX), "?");
    static const char *const flags[] = {"caps",     "elongated",    "repeat",  "negator",  "negated",
                                        "contrast", "hashtag_part", "invalid", "sent_end", "clause_end"};
    for (uint32_t f = 0; f < 10; f++) assert_string_equal(vocal_token_flag_name(1u << f), flags[f]);
    assert_null(vocal_token_flag_name(0));
    assert_null(vocal_token_flag_name(3));
    assert_null(vocal_token_flag_name(1u << 10));
}

/* MARK: allocation failures */

static const char rich_text[] =
    "\xEF\xBB\xBF" "Mr. Smith said the ＨＯＴＥＬ was soooo GOOD!!! but I don't like #WorstServiceEver "
    "@user@mastodon.social http://x.com/a_(b). Ça coûte €15, l'hôtel 每个汉字 カタカナ 👍🏽 👨‍👩‍👧 🇺🇸 1️⃣ "
    ":-) <3 ^_^ caf\xE9 a\0b 4.5/5 3.5stars Straße ΣΊΣΥΦΟΣ ﬁne\r\nNever again... "
    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
    " delivered deliveries running happily one two three four five six seven eight nine ten eleven "
    "twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty a b c d e f g h i j";

static void test_text__allocation_failures_return_enomem_without_leaks(void **state)
{
    (void)state;
    strbuf ref = {0}, got = {0};
    render_text(&ref, "en stem", rich_text, sizeof rich_text - 1);
    static const char *const words[] = {"not", "never", "nope"};
    int failed_somewhere = 0;
    uint64_t k;
    for (k = 1; k < 5000; k++) {
        int all_ok = 1, rc;
        vocal_tokenizer *tk = (vocal_tokenizer *)(uintptr_t)1;
        vocal_workspace *ws = (vocal_workspace *)(uintptr_t)1;
        vocal_error err;
        vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
        vocal__alloc_fail_after(k);
        memset(&err, 0xA5, sizeof err);
        rc = vocal_tokenizer_new(&tk, &o, &err);
        if (rc != VOCAL_OK) {
            assert_int_equal(rc, VOCAL_ENOMEM);
            assert_int_equal(err.code, VOCAL_ENOMEM);
            assert_null(tk);
            failed_somewhere = 1;
            continue;
        }
        rc = vocal_tokenizer_set_words(tk, VOCAL_WORDS_NEGATORS, words, 3, NULL);
        if (rc != VOCAL_OK) {
            assert_int_equal(rc, VOCAL_ENOMEM);
            all_ok = 0;
        }
        memset(&err, 0xA5, sizeof err);
        rc = vocal_workspace_new(&ws, tk, &err);
        if (rc != VOCAL_OK) {
            assert_int_equal(rc, VOCAL_ENOMEM);
            assert_int_equal(err.code, VOCAL_ENOMEM);
            assert_null(ws);
            vocal_tokenizer_free(tk);
            failed_somewhere = 1;
            continue;
        }
        for (int pass = 0; pass < 2; pass++) {
            const vocal_token *t = (const vocal_token *)(uintptr_t)1;
            vocal_text_info info;
            memset(&err, 0xA5, sizeof err);
            int n = vocal_text_tokenize(&t, &info, ws, rich_text, sizeof rich_text - 1, &err);
            if (n < 0) {
                assert_int_equal(n, VOCAL_ENOMEM);
                assert_int_equal(err.code, VOCAL_ENOMEM);
                assert_null(t);
                all_ok = 0;
            }
        }
        const char *stem;
        rc = vocal_text_stem(&stem, NULL, ws, "friendliness", 12, NULL);
        if (rc != VOCAL_OK) {
            assert_int_equal(rc, VOCAL_ENOMEM);
            all_ok = 0;
        }
        char dst[64];
        size_t need;
        rc = vocal_text_normalize(dst, sizeof dst, &need, "ＧＲＥＡＴ ﬁne", strlen("ＧＲＥＡＴ ﬁne"), NULL);
        if (rc != VOCAL_OK) {
            assert_int_equal(rc, VOCAL_ENOMEM);
            all_ok = 0;
        }
        /* a workspace that saw a failure is still sound: with memory back, it
         * gives the reference result (the set_words list may be the new one
         * or the old one; both negate "not" and "never") */
        vocal__alloc_fail_after(0);
        tokenize_render(&got, ws, rich_text, sizeof rich_text - 1);
        assert_string_equal(got.p, ref.p);
        vocal_workspace_free(ws);
        vocal_tokenizer_free(tk);
        if (all_ok) break;
        failed_somewhere = 1;
    }
    vocal__alloc_fail_after(0);
    assert_true(failed_somewhere);
    assert_true(k < 5000);
    free(ref.p);
    free(got.p);
}

/* MARK: re-entrancy */

static void test_text__two_workspaces_on_one_tokenizer_agree(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer("en stem");
    vocal_workspace *a = make_workspace(tk), *b = make_workspace(tk);
    strbuf ra = {0}, rb = {0}, again = {0};
    const vocal_token *ta, *tb;
    vocal_text_info ia, ib;
    int na = vocal_text_tokenize(&ta, &ia, a, rich_text, sizeof rich_text - 1, NULL);
    int nb = vocal_text_tokenize(&tb, &ib, b, rich_text, sizeof rich_text - 1, NULL);
    assert_true(na > 50);
    assert_int_equal(na, nb);
    render(&ra, ta, (size_t)na, &ia);
    render(&rb, tb, (size_t)nb, &ib);
    assert_string_equal(ra.p, rb.p);
    assert_true(ta != tb);
    for (int i = 0; i < na; i++) assert_true(ta[i].norm != tb[i].norm);
    /* a call on b leaves a's tokens alone */
    assert_int_equal(vocal_text_tokenize(&tb, &ib, b, "something else entirely", 23, NULL), 3);
    render(&again, ta, (size_t)na, &ia);
    assert_string_equal(again.p, ra.p);
    free(ra.p);
    free(rb.p);
    free(again.p);
    vocal_workspace_free(a);
    vocal_workspace_free(b);
    vocal_tokenizer_free(tk);
}

static void test_text__a_reused_workspace_gives_fresh_results(void **state)
{
    (void)state;
    vocal_tokenizer *tk = make_tokenizer("en stem");
    vocal_workspace *ws = make_workspace(tk);
    strbuf fresh = {0}, reused = {0};
    static const char small[] = "fine, thanks";
    render_text(&fresh, "en stem", small, sizeof small - 1);
    const vocal_token *t;
    vocal_text_info info;
    assert_true(vocal_text_tokenize(&t, &info, ws, rich_text, sizeof rich_text - 1, NULL) > 50);
    assert_int_equal(info.bom, 1);
    assert_int_equal(info.nul_bytes, 1);
    assert_int_equal(info.invalid, 1);
    tokenize_render(&reused, ws, small, sizeof small - 1);
    assert_string_equal(reused.p, fresh.p);
    memset(&info, 0xA5, sizeof info);
    assert_int_equal(vocal_text_tokenize(&t, &info, ws, small, sizeof small - 1, NULL), 3);
    assert_int_equal(info.bom, 0);
    assert_int_equal(info.nul_bytes, 0);
    assert_int_equal(info.invalid, 0);
    assert_true(info.first_invalid == UINT64_MAX);
    assert_int_equal(info.n_sentences, 1);
    assert_int_equal(t[0].sentence, 0);
    assert_int_equal(t[2].clause, 1);
    /* and back to the big text: the same result as the first time */
    strbuf big1 = {0}, big2 = {0};
    tokenize_render(&big1, ws, rich_text, sizeof rich_text - 1);
    render_text(&big2, "en stem", rich_text, sizeof rich_text - 1);
    assert_string_equal(big1.p, big2.p);
    free(fresh.p);
    free(reused.p);
    free(big1.p);
    free(big2.p);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text__table_of_tricky_inputs_tokenizes_as_specified),
        cmocka_unit_test(test_text__token_offsets_slice_the_original_text),
        cmocka_unit_test(test_text__hashtag_parts_lie_inside_their_hashtag),
        cmocka_unit_test(test_text__sentence_and_clause_indices_count_over_the_whole_text),
        cmocka_unit_test(test_text__emoticon_is_not_split_out_of_a_url),
        cmocka_unit_test(test_text__a_megabyte_line_tokenizes_without_trouble),
        cmocka_unit_test(test_text__text_over_the_size_limit_is_refused),
        cmocka_unit_test(test_text__stem_cache_returns_the_same_stem_twice),
        cmocka_unit_test(test_text__stem_uses_the_language_stemmer),
        cmocka_unit_test(test_text__no_stem_option_keeps_stem_equal_to_norm),
        cmocka_unit_test(test_text__stem_keeps_tokens_valid),
        cmocka_unit_test(test_text__utf8_check_counts_maximal_subparts),
        cmocka_unit_test(test_text__utf8_decode_consumes_maximal_subparts),
        cmocka_unit_test(test_text__normalize_folds_and_reports_the_size_it_needs),
        cmocka_unit_test(test_text__tokenizer_new_rejects_an_unknown_language),
        cmocka_unit_test(test_text__tokenizer_new_rejects_a_bad_options_version),
        cmocka_unit_test(test_text__tokenizer_reports_language_and_stemmer),
        cmocka_unit_test(test_text__set_words_replaces_the_negators),
        cmocka_unit_test(test_text__set_words_rejects_bad_input),
        cmocka_unit_test(test_text__free_functions_accept_null),
        cmocka_unit_test(test_text__info_may_be_null_and_text_may_be_null_when_empty),
        cmocka_unit_test(test_text__kind_and_flag_names),
        cmocka_unit_test(test_text__allocation_failures_return_enomem_without_leaks),
        cmocka_unit_test(test_text__two_workspaces_on_one_tokenizer_agree),
        cmocka_unit_test(test_text__a_reused_workspace_gives_fresh_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
