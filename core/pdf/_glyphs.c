/* The per-glyph loop of core/pdf/pdfium_backend.py (_glyphs and _style) in C.
 *
 * The Python loop costs a few ctypes calls and a tuple a glyph, ~2.5 us: ~0.03 s a report,
 * most of what reading a page costs past PDFium's own work. This module runs the very same
 * steps, in the same order and in the same double arithmetic (build with -ffp-contract=off:
 * a fused multiply-add would round otherwise than Python does), so its glyphs are equal to
 * the Python loop's, bit for bit; tests/test_glyphs_c.py holds the two to that.
 *
 * PDFium is not linked: the Python side passes the addresses of the ten PDFium functions it
 * binds through ctypes (core/pdf/_pdfium_c.py) once, through bind(). Built by setup.py as
 * an optional extension: with no compiler, the Python loop is used.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

typedef struct { float a, b, c, d, e, f; } FS_MATRIX;
typedef struct { float left, top, right, bottom; } FS_RECTF;

typedef unsigned int (*f_get_unicode)(void *, int);
typedef int (*f_is_hyphen)(void *, int);
typedef void *(*f_get_text_object)(void *, int);
typedef int (*f_get_matrix)(void *, int, FS_MATRIX *);
typedef double (*f_get_font_size)(void *, int);
typedef void *(*f_text_obj_get_font)(void *);
typedef int (*f_get_char_origin)(void *, int, double *, double *);
typedef int (*f_get_loose_char_box)(void *, int, FS_RECTF *);
typedef int (*f_has_unicode_map_error)(void *, int);
typedef int (*f_font_get_descent)(void *, float, float *);

static f_get_unicode get_unicode;
static f_is_hyphen is_hyphen;
static f_get_text_object get_text_object;
static f_get_matrix get_matrix;
static f_get_font_size get_font_size;
static f_text_obj_get_font text_obj_get_font;
static f_get_char_origin get_char_origin;
static f_get_loose_char_box get_loose_char_box;
static f_has_unicode_map_error has_unicode_map_error;
static f_font_get_descent font_get_descent;
static int bound = 0;

/* What the glyphs of one matrix, font and size share (pdfium_backend._Style). */
typedef struct {
    int upright; /* 0: pdfminer leaves the glyphs out of the words (the style is None) */
    double ux, uy, x_lo, x_hi, y_lo, y_hi;
    int along_x, positive, no_unicode, level;
} Style;

/* the key of pdfium_backend's `shared` dict: matrix a b c d, font size, font */
typedef struct {
    size_t hash;
    double a, b, c, d, size;
    void *font;
    Style style;
} Shared;

/* the key of pdfium_backend's `styles` dict: text object address */
typedef struct {
    size_t hash;
    void *address;
    Style style;
} ByObject;

static PyObject *
bind(PyObject *self, PyObject *args)
{
    unsigned long long p[10];
    if (!PyArg_ParseTuple(args, "(KKKKKKKKKK)", &p[0], &p[1], &p[2], &p[3], &p[4], &p[5],
                          &p[6], &p[7], &p[8], &p[9]))
        return NULL;
    for (int k = 0; k < 10; k++) {
        if (!p[k]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is null");
            return NULL;
        }
    }
    get_unicode = (f_get_unicode)(uintptr_t)p[0];
    is_hyphen = (f_is_hyphen)(uintptr_t)p[1];
    get_text_object = (f_get_text_object)(uintptr_t)p[2];
    get_matrix = (f_get_matrix)(uintptr_t)p[3];
    get_font_size = (f_get_font_size)(uintptr_t)p[4];
    text_obj_get_font = (f_text_obj_get_font)(uintptr_t)p[5];
    get_char_origin = (f_get_char_origin)(uintptr_t)p[6];
    get_loose_char_box = (f_get_loose_char_box)(uintptr_t)p[7];
    has_unicode_map_error = (f_has_unicode_map_error)(uintptr_t)p[8];
    font_get_descent = (f_font_get_descent)(uintptr_t)p[9];
    bound = 1;
    Py_RETURN_NONE;
}

/* Python's min(a, b) and max(a, b): the first unless the second is strictly beyond it. */
static inline double pmin(double a, double b) { return b < a ? b : a; }
static inline double pmax(double a, double b) { return b > a ? b : a; }

/* pdfium_backend._style, from glyph i of the key's matrix, size and font. */
static Style
make_style(void *tp, int i, double ma, double mb, double mc, double md, double size, void *font,
           const double *aff)
{
    Style s;
    memset(&s, 0, sizeof s);
    double A = aff[0], B = aff[1], C = aff[2], D = aff[3];
    double pa = A * ma + C * mb, pb = -(B * ma + D * mb);
    double pc = A * mc + C * md, pd = -(B * mc + D * md);
    if (!(pa * pd > 0 && pb * pc <= 0))
        return s;
    s.upright = 1;
    float desc = 0.0f;
    if (font)
        font_get_descent(font, (float)size, &desc);
    s.along_x = fabs(mb) <= fabs(ma);
    double lead = s.along_x ? ma : mb;
    s.positive = lead > 0;
    s.ux = (A * ma + C * mb) / lead;
    s.uy = (B * ma + D * mb) / lead;
    double vx = A * mc + C * md, vy = B * mc + D * md;
    double lo = (double)desc, hi = (double)desc + size;
    s.x_lo = pmin(lo * vx, hi * vx);
    s.x_hi = pmax(lo * vx, hi * vx);
    s.y_lo = pmin(lo * vy, hi * vy);
    s.y_hi = pmax(lo * vy, hi * vy);
    s.no_unicode = has_unicode_map_error(tp, i) != 0;
    s.level = s.along_x && s.positive && s.uy == 0.0 && s.ux > 0;
    return s;
}

/* the characters pdfium_backend._ASK lists: asked for again one by one */
static inline int
ask_again(Py_UCS4 c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || (c >= 0xD800 && c < 0xE000) || c == 0xFFFE
           || c == 0xFFFF;
}

static int
append_glyph(PyObject *out, double x0, double x1, double top, double bottom, PyObject *ch)
{
    PyObject *t = PyTuple_New(5);
    if (!t)
        return -1;
    PyObject *v[4] = {PyFloat_FromDouble(x0), PyFloat_FromDouble(x1), PyFloat_FromDouble(top),
                      PyFloat_FromDouble(bottom)};
    for (int k = 0; k < 4; k++) {
        if (!v[k]) {
            for (int j = 0; j < 4; j++)
                Py_XDECREF(v[j]);
            Py_DECREF(t);
            return -1;
        }
        PyTuple_SET_ITEM(t, k, v[k]);
    }
    Py_INCREF(ch);
    PyTuple_SET_ITEM(t, 4, ch);
    int r = PyList_Append(out, t);
    Py_DECREF(t);
    return r;
}

/* A growing array of entries with an open-addressing hash index over them: a page may draw
 * a text object a glyph, and a hostile one hundreds of thousands, so no linear search. */
typedef struct {
    char *items;
    Py_ssize_t n, cap, size;
    Py_ssize_t *slots; /* index into items, -1 for an empty slot; nslots a power of two */
    size_t nslots;
} Table;

static void
table_free(Table *t)
{
    PyMem_Free(t->items);
    PyMem_Free(t->slots);
}

/* The entry at a slot found by find(): a new one is appended and indexed under hash h. */
static void *
table_add(Table *t, size_t h)
{
    if (t->n == t->cap) {
        Py_ssize_t cap = t->cap ? 2 * t->cap : 64;
        char *items = PyMem_Realloc(t->items, cap * t->size);
        if (!items) {
            PyErr_NoMemory();
            return NULL;
        }
        t->items = items;
        t->cap = cap;
    }
    if ((size_t)(t->n + 1) * 2 > t->nslots) { /* keep the index at most half full */
        size_t nslots = t->nslots ? 2 * t->nslots : 128;
        Py_ssize_t *slots = PyMem_Malloc(nslots * sizeof(Py_ssize_t));
        if (!slots) {
            PyErr_NoMemory();
            return NULL;
        }
        for (size_t k = 0; k < nslots; k++)
            slots[k] = -1;
        for (size_t k = 0; k < t->nslots; k++) {
            Py_ssize_t idx = t->slots[k];
            if (idx < 0)
                continue;
            size_t j = *(size_t *)(t->items + idx * t->size) & (nslots - 1);
            while (slots[j] >= 0)
                j = (j + 1) & (nslots - 1);
            slots[j] = idx;
        }
        PyMem_Free(t->slots);
        t->slots = slots;
        t->nslots = nslots;
    }
    size_t j = h & (t->nslots - 1);
    while (t->slots[j] >= 0)
        j = (j + 1) & (t->nslots - 1);
    t->slots[j] = t->n;
    char *entry = t->items + t->size * t->n++;
    *(size_t *)entry = h; /* every entry starts with its hash */
    return entry;
}

static inline size_t
mix(size_t h, unsigned long long v)
{
    h ^= (size_t)(v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2));
    return h;
}

static inline unsigned long long
bits(double v)
{
    unsigned long long u;
    v = v + 0.0; /* -0.0 and 0.0 are one key, as in a dict of floats */
    memcpy(&u, &v, sizeof u);
    return u;
}

static PyObject *
glyphs(PyObject *self, PyObject *args)
{
    unsigned long long tp_address;
    PyObject *text;
    double aff[6];
    if (!PyArg_ParseTuple(args, "KU(dddddd)", &tp_address, &text, &aff[0], &aff[1], &aff[2],
                          &aff[3], &aff[4], &aff[5]))
        return NULL;
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "bind() was not called");
        return NULL;
    }
    void *tp = (void *)(uintptr_t)tp_address;
    double A = aff[0], B = aff[1], C = aff[2], D = aff[3], E = aff[4], F = aff[5];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (!out)
        return NULL;
    /* styles: text object address → style; shared: (matrix, size, font) → style, as the
     * Python loop's two dicts */
    Table by_object = {NULL, 0, 0, sizeof(ByObject), NULL, 0};
    Table shared = {NULL, 0, 0, sizeof(Shared), NULL, 0};
    FS_MATRIX fsm = {0, 0, 0, 0, 0, 0};
    FS_RECTF rect = {0, 0, 0, 0};
    double ox = 0.0, oy = 0.0;
    long long unmapped = 0;
    Py_ssize_t last = -1; /* by_object index of the previous glyph's text object */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (ask_again(c)) {
            unsigned int u = get_unicode(tp, (int)i);
            if (u > 0x10FFFF) { /* chr() would refuse it */
                PyErr_SetString(PyExc_ValueError, "chr() arg not in range(0x110000)");
                goto fail;
            }
            c = (Py_UCS4)u;
        }
        if (Py_UNICODE_ISSPACE(c))
            continue;
        if (c == 0x02 && is_hyphen(tp, (int)i))
            c = '-';
        void *address = get_text_object(tp, (int)i);
        Style *style = NULL;
        ByObject *objects = (ByObject *)by_object.items;
        if (last >= 0 && objects[last].address == address) {
            style = &objects[last].style;
        } else {
            size_t h = mix(0, (unsigned long long)(uintptr_t)address);
            if (by_object.nslots) {
                size_t j = h & (by_object.nslots - 1);
                for (Py_ssize_t idx; (idx = by_object.slots[j]) >= 0;
                     j = (j + 1) & (by_object.nslots - 1)) {
                    if (objects[idx].address == address) {
                        style = &objects[idx].style;
                        last = idx;
                        break;
                    }
                }
            }
            if (style == NULL) {
                get_matrix(tp, (int)i, &fsm);
                void *font = address ? text_obj_get_font(address) : NULL;
                double ka = fsm.a, kb = fsm.b, kc = fsm.c, kd = fsm.d;
                double size = get_font_size(tp, (int)i);
                size_t hs = mix(mix(mix(mix(mix(mix(0, bits(ka)), bits(kb)), bits(kc)), bits(kd)),
                                    bits(size)),
                                (unsigned long long)(uintptr_t)font);
                Style found;
                int hit = 0;
                if (shared.nslots) {
                    Shared *entries = (Shared *)shared.items;
                    size_t j = hs & (shared.nslots - 1);
                    for (Py_ssize_t idx; (idx = shared.slots[j]) >= 0;
                         j = (j + 1) & (shared.nslots - 1)) {
                        Shared *sh = &entries[idx];
                        if (sh->a == ka && sh->b == kb && sh->c == kc && sh->d == kd
                            && sh->size == size && sh->font == font) {
                            found = sh->style;
                            hit = 1;
                            break;
                        }
                    }
                }
                if (!hit) {
                    found = make_style(tp, (int)i, ka, kb, kc, kd, size, font, aff);
                    Shared *sh = table_add(&shared, hs);
                    if (!sh)
                        goto fail;
                    sh->a = ka, sh->b = kb, sh->c = kc, sh->d = kd, sh->size = size;
                    sh->font = font;
                    sh->style = found;
                }
                ByObject *bo = table_add(&by_object, h);
                if (!bo)
                    goto fail;
                bo->address = address;
                bo->style = found;
                last = by_object.n - 1;
                style = &bo->style;
            }
        }
        if (!style->upright)
            continue;
        unmapped += style->no_unicode;
        get_char_origin(tp, (int)i, &ox, &oy);
        get_loose_char_box(tp, (int)i, &rect);
        double px = ox, py = oy;
        PyObject *ch = PyUnicode_FromOrdinal((int)c);
        if (!ch)
            goto fail;
        int r;
        if (style->level) {
            double ax = ((double)rect.right - px) * style->ux;
            if (ax > 0) {
                double tx = A * px + C * py + E, ty = B * px + D * py + F;
                r = append_glyph(out, tx + 0.0 + style->x_lo, tx + ax + style->x_hi,
                                 ty + 0.0 + style->y_lo, ty + 0.0 + style->y_hi, ch);
                Py_DECREF(ch);
                if (r < 0)
                    goto fail;
                continue;
            }
        }
        double adv;
        if (style->along_x)
            adv = (style->positive ? (double)rect.right : (double)rect.left) - px;
        else
            adv = (style->positive ? (double)rect.top : (double)rect.bottom) - py;
        double tx = A * px + C * py + E, ty = B * px + D * py + F;
        double ax = adv * style->ux, ay = adv * style->uy;
        r = append_glyph(out, tx + (ax < 0 ? ax : 0.0) + style->x_lo,
                         tx + (ax > 0 ? ax : 0.0) + style->x_hi,
                         ty + (ay < 0 ? ay : 0.0) + style->y_lo,
                         ty + (ay > 0 ? ay : 0.0) + style->y_hi, ch);
        Py_DECREF(ch);
        if (r < 0)
            goto fail;
    }
    table_free(&by_object);
    table_free(&shared);
    return Py_BuildValue("(NL)", out, unmapped);
fail:
    table_free(&by_object);
    table_free(&shared);
    Py_DECREF(out);
    return NULL;
}

/* -- glyphs → words: core/pdf/page.py's words_from_glyphs and _overlap_lines ------------- */

typedef struct {
    double t, b;
    Py_ssize_t idx;
} Keyed;

static int
cmp_keyed(const void *pa, const void *pb)
{
    const Keyed *a = pa, *b = pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct {
    double key;
    Py_ssize_t idx;
} Ordered;

/* a stable sort by key: ties kept in their order, as Python's sort keeps them */
static int
cmp_ordered(const void *pa, const void *pb)
{
    const Ordered *a = pa, *b = pb;
    if (a->key < b->key)
        return -1;
    if (b->key < a->key)
        return 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

typedef struct {
    double x0, x1, t, b;
    PyObject *ch;
} G;

/* _overlap_lines over keyed[0..n) (top, bottom, item index; sorted here): the number of
 * lines; their members (item indices, in the order they joined) are members[start[l] ..
 * start[l] + count[l]) for line l, and order[0..nlines) lists the lines top to bottom. */
static Py_ssize_t
overlap_lines(Py_ssize_t n, Keyed *keyed, double min_share, Py_ssize_t *line_of, double *spans,
              Py_ssize_t *active, Py_ssize_t *count, Py_ssize_t *start, Py_ssize_t *members,
              Ordered *order)
{
    memset(count, 0, n * sizeof(Py_ssize_t));
    qsort(keyed, n, sizeof(Keyed), cmp_keyed);
    Py_ssize_t nlines = 0, nactive = 0, last_line = -1;
    int have_last = 0;
    double last_t = 0, last_b = 0;
    for (Py_ssize_t s = 0; s < n; s++) {
        double t = keyed[s].t, b = keyed[s].b;
        if (have_last && t == last_t && b == last_b) {
            line_of[s] = last_line;
            continue;
        }
        have_last = 1, last_t = t, last_b = b;
        if (nactive && spans[2 * active[0] + 1] <= t) {
            Py_ssize_t kept = 0;
            for (Py_ssize_t a = 0; a < nactive; a++)
                if (spans[2 * active[a] + 1] > t)
                    active[kept++] = active[a];
            nactive = kept;
        }
        Py_ssize_t best = -1;
        double best_share = 0.0;
        for (Py_ssize_t a = 0; a < nactive; a++) {
            Py_ssize_t i = active[a];
            double lt = spans[2 * i], lb = spans[2 * i + 1];
            double shorter = pmin(lb - lt, b - t);
            double overlap = pmin(lb, b) - pmax(lt, t);
            double share = shorter > 0 ? overlap / shorter : (overlap >= 0 ? 1.0 : 0.0);
            if (share >= min_share && share > best_share)
                best = i, best_share = share;
        }
        if (best < 0) {
            best = nlines++;
            active[nactive++] = best;
            spans[2 * best] = t, spans[2 * best + 1] = b;
        } else if (b - t < 0.9 * (spans[2 * best + 1] - spans[2 * best])) {
            spans[2 * best] = t, spans[2 * best + 1] = b;
        }
        line_of[s] = best;
        last_line = best;
    }
    /* the glyphs of each line in the order they joined it */
    for (Py_ssize_t s = 0; s < n; s++)
        count[line_of[s]]++;
    start[0] = 0;
    for (Py_ssize_t l = 0; l < nlines; l++)
        start[l + 1] = start[l] + count[l], count[l] = 0;
    for (Py_ssize_t s = 0; s < n; s++) {
        Py_ssize_t l = line_of[s];
        members[start[l] + count[l]++] = keyed[s].idx;
    }
    for (Py_ssize_t l = 0; l < nlines; l++)
        order[l].key = spans[2 * l] + spans[2 * l + 1], order[l].idx = l;
    qsort(order, nlines, sizeof(Ordered), cmp_ordered);
    return nlines;
}

static PyObject *
make_word(G *g, Py_ssize_t *run, Py_ssize_t k, PyObject *word_cls, PyObject *normalize)
{
    /* _word: min and max as Python takes them (the first of equals), the text joined and
     * normalised (normalize_text only where a character it folds is present) */
    double x0 = g[run[0]].x0, x1 = g[run[0]].x1, t = g[run[0]].t, b = g[run[0]].b;
    Py_UCS4 maxchar = 0;
    int fold = 0;
    for (Py_ssize_t j = 0; j < k; j++) {
        G *q = &g[run[j]];
        if (j) {
            if (q->x0 < x0) x0 = q->x0;
            if (q->x1 > x1) x1 = q->x1;
            if (q->t < t) t = q->t;
            if (q->b > b) b = q->b;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(q->ch, 0);
        if (c > maxchar) maxchar = c;
        if ((c >= 0x2E80 && c <= 0x2FDF) || (c >= 0xFF10 && c <= 0xFF19)
            || (c >= 0xFF21 && c <= 0xFF5A) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3000
            || c == 0xA0)
            fold = 1;
    }
    PyObject *text = PyUnicode_New(k, maxchar);
    if (!text)
        return NULL;
    for (Py_ssize_t j = 0; j < k; j++)
        PyUnicode_WRITE(PyUnicode_KIND(text), PyUnicode_DATA(text), j,
                        PyUnicode_READ_CHAR(g[run[j]].ch, 0));
    if (fold) {
        PyObject *folded = PyObject_CallOneArg(normalize, text);
        Py_DECREF(text);
        if (!folded)
            return NULL;
        text = folded;
    }
    PyObject *args[5] = {text, PyFloat_FromDouble(x0), PyFloat_FromDouble(x1),
                         PyFloat_FromDouble(t), PyFloat_FromDouble(b)};
    PyObject *word = NULL;
    if (args[1] && args[2] && args[3] && args[4])
        word = PyObject_Vectorcall(word_cls, args, 5, NULL);
    for (int j = 0; j < 5; j++)
        Py_XDECREF(args[j]);
    return word;
}

static PyObject *
words(PyObject *self, PyObject *args)
{
    PyObject *glyphs_list, *word_cls, *normalize;
    double min_share;
    if (!PyArg_ParseTuple(args, "O!OOd", &PyList_Type, &glyphs_list, &word_cls, &normalize,
                          &min_share))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(glyphs_list);
    if (n == 0)
        return PyTuple_New(0);
    G *g = PyMem_Malloc(n * sizeof(G));
    Keyed *keyed = PyMem_Malloc(n * sizeof(Keyed));
    Py_ssize_t *line_of = PyMem_Malloc(n * sizeof(Py_ssize_t)); /* glyph (sorted) → line */
    double *spans = PyMem_Malloc(2 * n * sizeof(double));      /* top, bottom per line */
    Py_ssize_t *active = PyMem_Malloc(n * sizeof(Py_ssize_t));
    Ordered *order = PyMem_Malloc(n * sizeof(Ordered));
    Py_ssize_t *run = PyMem_Malloc(n * sizeof(Py_ssize_t));
    Py_ssize_t *count = PyMem_Calloc(n, sizeof(Py_ssize_t));
    Py_ssize_t *start = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *members = PyMem_Malloc(n * sizeof(Py_ssize_t));
    PyObject *out = NULL, *result = NULL;
    Py_ssize_t nlines;
    if (!g || !keyed || !line_of || !spans || !active || !order || !run || !count || !start
        || !members) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(glyphs_list, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 5)
            goto python; /* not the backend's glyphs: the Python code says what is wrong */
        double v[4];
        for (int k = 0; k < 4; k++) {
            PyObject *f = PyTuple_GET_ITEM(t, k);
            if (!PyFloat_CheckExact(f))
                goto python;
            v[k] = PyFloat_AS_DOUBLE(f);
            /* far from overflow, no NaN: the arithmetic below then orders as Python's */
            if (!(fabs(v[k]) < 1e300))
                goto python;
        }
        PyObject *ch = PyTuple_GET_ITEM(t, 4);
        if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1)
            goto python;
        g[i].x0 = v[0], g[i].x1 = v[1], g[i].t = v[2], g[i].b = v[3], g[i].ch = ch;
        keyed[i].t = v[2], keyed[i].b = v[3], keyed[i].idx = i;
    }
    nlines = overlap_lines(n, keyed, min_share, line_of, spans, active, count, start, members,
                           order);
    out = PyList_New(0);
    if (!out)
        goto done;
    for (Py_ssize_t o = 0; o < nlines; o++) {
        Py_ssize_t l = order[o].idx, k = count[l];
        Ordered *byx = (Ordered *)keyed; /* reused: keyed is read no more */
        for (Py_ssize_t j = 0; j < k; j++)
            byx[j].key = g[members[start[l] + j]].x0, byx[j].idx = j;
        qsort(byx, k, sizeof(Ordered), cmp_ordered); /* line.sort(key=x0): stable */
        Py_ssize_t nrun = 0;
        for (Py_ssize_t j = 0; j < k; j++) {
            Py_ssize_t gi = members[start[l] + byx[j].idx];
            if (nrun) {
                G *prev = &g[run[nrun - 1]], *c = &g[gi];
                if (c->x0 - prev->x1 > 1.5 || c->x0 < prev->x0) {
                    PyObject *w = make_word(g, run, nrun, word_cls, normalize);
                    if (!w || PyList_Append(out, w) < 0) {
                        Py_XDECREF(w);
                        goto done;
                    }
                    Py_DECREF(w);
                    nrun = 0;
                }
            }
            run[nrun++] = gi;
        }
        PyObject *w = make_word(g, run, nrun, word_cls, normalize);
        if (!w || PyList_Append(out, w) < 0) {
            Py_XDECREF(w);
            goto done;
        }
        Py_DECREF(w);
    }
    result = PyList_AsTuple(out);
    goto done;
python:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(out);
    PyMem_Free(g);
    PyMem_Free(keyed);
    PyMem_Free(line_of);
    PyMem_Free(spans);
    PyMem_Free(active);
    PyMem_Free(order);
    PyMem_Free(run);
    PyMem_Free(count);
    PyMem_Free(start);
    PyMem_Free(members);
    return result;
}

/* A float attribute of a word, or -1 when it is none or not finite: Python then groups. */
static int
float_attr(PyObject *o, PyObject *name, double *v)
{
    PyObject *f = PyObject_GetAttr(o, name);
    if (!f) {
        PyErr_Clear();
        return -1;
    }
    int ok = PyFloat_CheckExact(f);
    if (ok)
        *v = PyFloat_AS_DOUBLE(f);
    Py_DECREF(f);
    return ok && fabs(*v) < 1e300 ? 0 : -1;
}

static PyObject *s_top, *s_bottom, *s_x0;

static PyObject *
lines(PyObject *self, PyObject *args)
{
    PyObject *seq, *items;
    double min_share;
    if (!PyArg_ParseTuple(args, "Od", &seq, &min_share))
        return NULL;
    items = PySequence_Fast(seq, "words must be a sequence");
    if (!items)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    PyObject **item = PySequence_Fast_ITEMS(items);
    Py_ssize_t m = n ? n : 1;
    Keyed *keyed = PyMem_Malloc(m * sizeof(Keyed));
    double *x0 = PyMem_Malloc(m * sizeof(double));
    Py_ssize_t *line_of = PyMem_Malloc(m * sizeof(Py_ssize_t));
    double *spans = PyMem_Malloc(2 * m * sizeof(double));
    Py_ssize_t *active = PyMem_Malloc(m * sizeof(Py_ssize_t));
    Ordered *order = PyMem_Malloc(m * sizeof(Ordered));
    Py_ssize_t *count = PyMem_Malloc(m * sizeof(Py_ssize_t));
    Py_ssize_t *start = PyMem_Malloc((m + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *members = PyMem_Malloc(m * sizeof(Py_ssize_t));
    Ordered *byx = PyMem_Malloc(m * sizeof(Ordered));
    PyObject *out = NULL, *result = NULL;
    if (!keyed || !x0 || !line_of || !spans || !active || !order || !count || !start
        || !members || !byx) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (float_attr(item[i], s_top, &keyed[i].t) || float_attr(item[i], s_bottom, &keyed[i].b)
            || float_attr(item[i], s_x0, &x0[i]))
            goto python;
        keyed[i].idx = i;
    }
    Py_ssize_t nlines = n ? overlap_lines(n, keyed, min_share, line_of, spans, active, count,
                                          start, members, order)
                          : 0;
    out = PyList_New(nlines);
    if (!out)
        goto done;
    for (Py_ssize_t o = 0; o < nlines; o++) {
        Py_ssize_t l = order[o].idx, k = count[l];
        for (Py_ssize_t j = 0; j < k; j++)
            byx[j].key = x0[members[start[l] + j]], byx[j].idx = j;
        qsort(byx, k, sizeof(Ordered), cmp_ordered); /* sorted(line, key=x0): stable */
        PyObject *line = PyList_New(k);
        if (!line)
            goto done;
        for (Py_ssize_t j = 0; j < k; j++) {
            PyObject *w = item[members[start[l] + byx[j].idx]];
            Py_INCREF(w);
            PyList_SET_ITEM(line, j, w);
        }
        PyList_SET_ITEM(out, o, line);
    }
    result = Py_NewRef(out);
    goto done;
python:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(out);
    Py_DECREF(items);
    PyMem_Free(keyed);
    PyMem_Free(x0);
    PyMem_Free(line_of);
    PyMem_Free(spans);
    PyMem_Free(active);
    PyMem_Free(order);
    PyMem_Free(count);
    PyMem_Free(start);
    PyMem_Free(members);
    PyMem_Free(byx);
    return result;
}

/* base64.a85decode(data, ignorechars=ignorechars) of Python 3.11, in C: the same bytes and
 * the same errors (ValueError, same words) on every input. Python's loop costs ~0.1 us a
 * byte: ~4 ms of the bundled sample's parse, whose streams are ASCII85 (core/pdf/whole.py,
 * damage.py).
 * As Python does: digits '!'..'u' gather in fives (four bytes, big-endian; past 2**32 - 1 is
 * an overflow); 'z' outside a group is four zero bytes; a byte of ``ignorechars`` is skipped;
 * any other byte is an error; the last group is padded with 'u' and cut to its length. */
static PyObject *
a85decode(PyObject *self, PyObject *args)
{
    Py_buffer in, ign;
    if (!PyArg_ParseTuple(args, "y*y*", &in, &ign))
        return NULL;
    char skip[256] = {0};
    for (Py_ssize_t k = 0; k < ign.len; k++)
        skip[((const unsigned char *)ign.buf)[k]] = 1;
    PyBuffer_Release(&ign);
    const unsigned char *b = in.buf;
    Py_ssize_t n = in.len;
    /* at most 4 bytes a 'z' or per 5 digits (+ the padded last group) */
    unsigned char *out = PyMem_Malloc((size_t)n * 4 + 8);
    if (!out) {
        PyBuffer_Release(&in);
        return PyErr_NoMemory();
    }
    Py_ssize_t len = 0;
    int curr = 0;
    unsigned long long acc = 0;
    PyObject *result = NULL;
    for (Py_ssize_t k = 0; k < n + 4; k++) {
        unsigned char x = k < n ? b[k] : 'u';
        if (x >= '!' && x <= 'u') {
            acc = 85 * acc + (unsigned long long)(x - 33);
            if (++curr == 5) {
                if (acc > 0xFFFFFFFFull) {
                    PyErr_SetString(PyExc_ValueError, "Ascii85 overflow");
                    goto done;
                }
                out[len++] = (unsigned char)(acc >> 24);
                out[len++] = (unsigned char)(acc >> 16);
                out[len++] = (unsigned char)(acc >> 8);
                out[len++] = (unsigned char)acc;
                acc = 0;
                curr = 0;
            }
        } else if (x == 'z') {
            if (curr) {
                PyErr_SetString(PyExc_ValueError, "z inside Ascii85 5-tuple");
                goto done;
            }
            memset(out + len, 0, 4);
            len += 4;
        } else if (skip[x]) {
            continue;
        } else {
            PyErr_Format(PyExc_ValueError, "Non-Ascii85 digit found: %c", (int)x);
            goto done;
        }
    }
    /* Python: result[:-padding] with padding = 4 - len(curr); a cut longer than the result
     * leaves it empty */
    Py_ssize_t padding = 4 - curr;
    if (padding)
        len = len > padding ? len - padding : 0;
    result = PyBytes_FromStringAndSize((const char *)out, len);
done:
    PyMem_Free(out);
    PyBuffer_Release(&in);
    return result;
}

/* ---- the page-object walk (pdfium_backend._walk and _path_rules) ----------------------
 *
 * The Python walk costs two ctypes calls a page object and three a path segment: ~4-6 ms a
 * report. This one makes the same PDFium calls in the same order, with the same arithmetic
 * (the page matrix composed as _compose does, each point mapped as _path_rules does), and
 * gives the points of each shape for page.shape_rules, in the order the Python walk hands
 * them over. Its ten functions and six constants are bound apart from the glyph loop's
 * (bind_walk), so a build without them still has the glyph loop. */

typedef int (*f_count_objects)(void *);
typedef void *(*f_page_get_object)(void *, int);
typedef int (*f_form_count_objects)(void *);
typedef void *(*f_form_get_object)(void *, unsigned long);
typedef int (*f_obj_get_type)(void *);
typedef int (*f_obj_get_matrix)(void *, FS_MATRIX *);
typedef int (*f_path_count_segments)(void *);
typedef void *(*f_path_get_segment)(void *, int);
typedef int (*f_segment_get_type)(void *);
typedef int (*f_segment_get_point)(void *, float *, float *);

static f_count_objects page_count_objects;
static f_page_get_object page_get_object;
static f_form_count_objects form_count_objects;
static f_form_get_object form_get_object;
static f_obj_get_type obj_get_type;
static f_obj_get_matrix obj_get_matrix;
static f_path_count_segments path_count_segments;
static f_path_get_segment path_get_segment;
static f_segment_get_type segment_get_type;
static f_segment_get_point segment_get_point;
static int k_text, k_path, k_image, k_form, k_moveto, k_bezierto;
static int walk_bound = 0;

/* deeper nesting of forms than this is left to the Python walk (and its recursion limit) */
#define WALK_MAX_DEPTH 64

static PyObject *
bind_walk(PyObject *self, PyObject *args)
{
    unsigned long long p[10];
    if (!PyArg_ParseTuple(args, "(KKKKKKKKKK)(iiiiii)", &p[0], &p[1], &p[2], &p[3], &p[4],
                          &p[5], &p[6], &p[7], &p[8], &p[9], &k_text, &k_path, &k_image,
                          &k_form, &k_moveto, &k_bezierto))
        return NULL;
    for (int k = 0; k < 10; k++) {
        if (!p[k]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function address is null");
            return NULL;
        }
    }
    page_count_objects = (f_count_objects)(uintptr_t)p[0];
    page_get_object = (f_page_get_object)(uintptr_t)p[1];
    form_count_objects = (f_form_count_objects)(uintptr_t)p[2];
    form_get_object = (f_form_get_object)(uintptr_t)p[3];
    obj_get_type = (f_obj_get_type)(uintptr_t)p[4];
    obj_get_matrix = (f_obj_get_matrix)(uintptr_t)p[5];
    path_count_segments = (f_path_count_segments)(uintptr_t)p[6];
    path_get_segment = (f_path_get_segment)(uintptr_t)p[7];
    segment_get_type = (f_segment_get_type)(uintptr_t)p[8];
    segment_get_point = (f_segment_get_point)(uintptr_t)p[9];
    walk_bound = 1;
    Py_RETURN_NONE;
}

typedef struct {
    PyObject *shapes;          /* list of lists of (x, top) */
    long long objects, images; /* counts[0], counts[1] of the Python walk */
    long long max_objects;
    int over;                  /* the object count passed max_objects: the walk stopped */
    int deep;                  /* forms nested past WALK_MAX_DEPTH: the walk stopped */
    double aff[6];
} Walk;

/* one point list handed to shape_rules */
static int
emit(Walk *w, const double *pts, Py_ssize_t n)
{
    PyObject *list = PyList_New(n);
    if (!list)
        return -1;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *pt = Py_BuildValue("(dd)", pts[2 * k], pts[2 * k + 1]);
        if (!pt) {
            Py_DECREF(list);
            return -1;
        }
        PyList_SET_ITEM(list, k, pt);
    }
    int rc = PyList_Append(w->shapes, list);
    Py_DECREF(list);
    return rc;
}

/* _path_rules: each subpath's points (a curve's control points left out, as pdfminer) */
static int
path_shapes(Walk *w, void *obj, const double *m)
{
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5];
    double A = w->aff[0], B = w->aff[1], C = w->aff[2], D = w->aff[3], E = w->aff[4],
           F = w->aff[5];
    float x = 0.0f, y = 0.0f;
    Py_ssize_t n = 0, cap = 16;
    double *pts = PyMem_Malloc(sizeof(double) * 2 * cap);
    if (!pts) {
        PyErr_NoMemory();
        return -1;
    }
    int bezier = 0, rc = 0;
    int count = path_count_segments(obj);
    for (int i = 0; i < count; i++) {
        void *seg = path_get_segment(obj, i);
        int kind = segment_get_type(seg);
        if (kind == k_bezierto) {
            bezier += 1;
            if (bezier % 3)
                continue;
        } else {
            bezier = 0;
        }
        if (kind == k_moveto && n) {
            if (emit(w, pts, n) < 0) {
                rc = -1;
                goto done;
            }
            n = 0;
        }
        segment_get_point(seg, &x, &y);
        double xv = (double)x, yv = (double)y;
        double ux = a * xv + c * yv + e, uy = b * xv + d * yv + f;
        if (n == cap) {
            cap *= 2;
            double *more = PyMem_Realloc(pts, sizeof(double) * 2 * cap);
            if (!more) {
                PyErr_NoMemory();
                rc = -1;
                goto done;
            }
            pts = more;
        }
        pts[2 * n] = A * ux + C * uy + E;
        pts[2 * n + 1] = B * ux + D * uy + F;
        n++;
    }
    if (n > 1 && emit(w, pts, n) < 0)
        rc = -1;
done:
    PyMem_Free(pts);
    return rc;
}

/* _walk: one list of page objects (a page's, or a form's), into forms; -1 on a Python error,
 * 0 otherwise (w->over or w->deep set where it stopped short) */
static int
walk_list(Walk *w, int count, void *owner, int is_form, const double *outer, int depth)
{
    FS_MATRIX fsm;
    memset(&fsm, 0, sizeof fsm);
    w->objects += count;
    if (w->objects > w->max_objects) {
        w->over = 1;
        return 0;
    }
    for (int i = 0; i < count; i++) {
        void *obj = is_form ? form_get_object(owner, (unsigned long)i) : page_get_object(owner, i);
        int kind = obj_get_type(obj);
        if (kind == k_text)
            continue;
        if (kind == k_image) {
            w->images += 1;
            continue;
        }
        if (kind != k_path && kind != k_form)
            continue;
        obj_get_matrix(obj, &fsm);
        double m[6] = {fsm.a, fsm.b, fsm.c, fsm.d, fsm.e, fsm.f};
        if (outer) {
            double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5];
            double A = outer[0], B = outer[1], C = outer[2], D = outer[3], E = outer[4],
                   F = outer[5];
            m[0] = a * A + b * C;
            m[1] = a * B + b * D;
            m[2] = c * A + d * C;
            m[3] = c * B + d * D;
            m[4] = e * A + f * C + E;
            m[5] = e * B + f * D + F;
        }
        if (kind == k_form) {
            if (depth >= WALK_MAX_DEPTH) {
                w->deep = 1;
                return 0;
            }
            if (walk_list(w, form_count_objects(obj), obj, 1, m, depth + 1) < 0)
                return -1;
            if (w->over || w->deep)
                return 0;
        } else if (path_shapes(w, obj, m) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
walk(PyObject *self, PyObject *args)
{
    unsigned long long page_address;
    Walk w;
    memset(&w, 0, sizeof w);
    if (!PyArg_ParseTuple(args, "K(dddddd)L", &page_address, &w.aff[0], &w.aff[1], &w.aff[2],
                          &w.aff[3], &w.aff[4], &w.aff[5], &w.max_objects))
        return NULL;
    if (!walk_bound) {
        PyErr_SetString(PyExc_RuntimeError, "bind_walk() was not called");
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_address;
    w.shapes = PyList_New(0);
    if (!w.shapes)
        return NULL;
    if (walk_list(&w, page_count_objects(page), page, 0, NULL, 0) < 0) {
        Py_DECREF(w.shapes);
        return NULL;
    }
    if (w.deep) {
        Py_DECREF(w.shapes);
        Py_RETURN_NONE;
    }
    PyObject *out = Py_BuildValue("(OLLO)", w.shapes, w.objects, w.images,
                                  w.over ? Py_True : Py_False);
    Py_DECREF(w.shapes);
    return out;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS,
     "bind(addresses): the ten PDFium functions' addresses, in the order of "
     "core.pdf.pdfium_backend's binding."},
    {"glyphs", glyphs, METH_VARARGS,
     "glyphs(text_page, text, affine) -> (glyphs, unmapped): pdfium_backend._glyphs's loop."},
    {"words", words, METH_VARARGS,
     "words(glyphs, Word, normalize_text, min_share) -> tuple of Word, or None where the "
     "glyphs are not plain finite ones: page.words_from_glyphs's grouping."},
    {"lines", lines, METH_VARARGS,
     "lines(words, min_share) -> list of lines (lists of words), or None where a word's top, "
     "bottom or x0 is not a finite float: page.group_lines."},
    {"bind_walk", bind_walk, METH_VARARGS,
     "bind_walk(addresses, kinds): the ten PDFium functions of the page-object walk and "
     "the object and segment kinds (text, path, image, form, moveto, bezierto)."},
    {"walk", walk, METH_VARARGS,
     "walk(page, affine, max_objects) -> (shapes, objects, images, over), or None where forms "
     "nest too deep: pdfium_backend._walk's page-object walk."},
    {"a85decode", a85decode, METH_VARARGS,
     "a85decode(data, ignorechars) -> bytes: base64.a85decode(data, ignorechars=ignorechars), "
     "the same bytes and the same ValueError."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_glyphs", "The per-glyph loop of the PDFium text layer, in C.", -1,
    methods,
};

PyMODINIT_FUNC
PyInit__glyphs(void)
{
    s_top = PyUnicode_InternFromString("top");
    s_bottom = PyUnicode_InternFromString("bottom");
    s_x0 = PyUnicode_InternFromString("x0");
    if (!s_top || !s_bottom || !s_x0)
        return NULL;
    return PyModule_Create(&module);
}
