/* Evaluation: confusion matrix with P/R/F1, and a reliability table with
 * the expected calibration error. See include/vocal/model.h. */
#include <assert.h>
#include <math.h>

#include "model_int.h"

struct vocal_confusion {
    size_t nc;
    uint64_t *m;               /* nc rows (truth) x (nc + 1) columns; the last = abstained */
    vocal_class_metrics *per;  /* filled by vocal_confusion_metrics */
};

int vocal_confusion_new(vocal_confusion **out, size_t n_classes, vocal_error *err)
{
    assert(out);
    *out = NULL;
    if (n_classes == 0 || n_classes > VOCAL_MODEL_MAX_CLASSES)
        return vocal__err(err, VOCAL_EINPUT, NULL, 0, UINT64_MAX,
                          "a confusion matrix needs 1 to %d classes, not %zu", VOCAL_MODEL_MAX_CLASSES,
                          n_classes);
    vocal_confusion *cm = (vocal_confusion *)vocal__calloc(1, sizeof *cm);
    if (!cm) return vocal__err_oom(err);
    cm->nc = n_classes;
    cm->m = (uint64_t *)vocal__calloc(n_classes * (n_classes + 1), sizeof *cm->m);
    cm->per = (vocal_class_metrics *)vocal__calloc(n_classes, sizeof *cm->per);
    if (!cm->m || !cm->per) {
        vocal_confusion_free(cm);
        return vocal__err_oom(err);
    }
    *out = cm;
    return VOCAL_OK;
}

void vocal_confusion_free(vocal_confusion *cm)
{
    if (!cm) return;
    vocal__free(cm->m);
    vocal__free(cm->per);
    vocal__free(cm);
}

int vocal_confusion_add(vocal_confusion *cm, size_t truth, size_t pred)
{
    assert(cm);
    if (truth >= cm->nc || (pred >= cm->nc && pred != VOCAL_NO_CLASS)) return VOCAL_EINPUT;
    cm->m[truth * (cm->nc + 1) + (pred == VOCAL_NO_CLASS ? cm->nc : pred)]++;
    return VOCAL_OK;
}

int vocal_confusion_merge(vocal_confusion *dst, const vocal_confusion *src)
{
    assert(dst && src);
    if (dst->nc != src->nc) return VOCAL_EINPUT;
    for (size_t i = 0; i < dst->nc * (dst->nc + 1); i++) dst->m[i] += src->m[i];
    return VOCAL_OK;
}

uint64_t vocal_confusion_get(const vocal_confusion *cm, size_t truth, size_t pred)
{
    assert(cm);
    if (truth >= cm->nc || (pred >= cm->nc && pred != VOCAL_NO_CLASS)) return 0;
    return cm->m[truth * (cm->nc + 1) + (pred == VOCAL_NO_CLASS ? cm->nc : pred)];
}

static double ratio(uint64_t a, uint64_t b)
{
    return b ? (double)a / (double)b : 0.0;
}

int vocal_confusion_metrics(vocal_metrics *out, vocal_confusion *cm)
{
    assert(out && cm);
    memset(out, 0, sizeof *out);
    size_t nc = cm->nc, w = nc + 1;
    for (size_t c = 0; c < nc; c++) {
        vocal_class_metrics *p = &cm->per[c];
        memset(p, 0, sizeof *p);
        for (size_t j = 0; j <= nc; j++) p->support += cm->m[c * w + j];
        for (size_t i = 0; i < nc; i++) p->predicted += cm->m[i * w + c];
        p->correct = cm->m[c * w + c];
        p->precision = ratio(p->correct, p->predicted);
        p->recall = ratio(p->correct, p->support);
        p->f1 = p->precision + p->recall > 0
                    ? 2 * p->precision * p->recall / (p->precision + p->recall) : 0.0;
        out->total += p->support;
        out->correct += p->correct;
        out->abstained += cm->m[c * w + nc];
    }
    size_t used = 0;
    double wf = 0;
    for (size_t c = 0; c < nc; c++) {
        const vocal_class_metrics *p = &cm->per[c];
        wf += p->f1 * (double)p->support;
        /* a class that is neither truth nor prediction anywhere says nothing */
        if (!p->support && !p->predicted) continue;
        used++;
        out->macro_precision += p->precision;
        out->macro_recall += p->recall;
        out->macro_f1 += p->f1;
    }
    if (used) {
        out->macro_precision /= (double)used;
        out->macro_recall /= (double)used;
        out->macro_f1 /= (double)used;
    }
    out->weighted_f1 = out->total ? wf / (double)out->total : 0.0;
    out->accuracy = ratio(out->correct, out->total);
    out->n_classes = nc;
    out->per_class = cm->per;
    return VOCAL_OK;
}

/* MARK: calibration */

void vocal_calibration_init(vocal_calibration *cal, unsigned n_bins)
{
    assert(cal);
    memset(cal, 0, sizeof *cal);
    cal->n_bins = n_bins >= 1 && n_bins <= VOCAL_CALIBRATION_MAX_BINS ? n_bins : 10;
}

void vocal_calibration_add(vocal_calibration *cal, double prob, int correct)
{
    assert(cal);
    if (isnan(prob) || cal->n_bins < 1 || cal->n_bins > VOCAL_CALIBRATION_MAX_BINS) return;
    if (prob < 0) prob = 0;
    if (prob > 1) prob = 1;
    /* bins [i/n, (i+1)/n); 1.0 goes in the last */
    unsigned b = (unsigned)(prob * cal->n_bins);
    if (b >= cal->n_bins) b = cal->n_bins - 1;
    cal->count[b]++;
    cal->correct[b] += correct != 0;
    cal->conf_sum[b] += prob;
}

double vocal_calibration_ece(const vocal_calibration *cal)
{
    assert(cal);
    uint64_t total = 0;
    unsigned nb = cal->n_bins <= VOCAL_CALIBRATION_MAX_BINS ? cal->n_bins : VOCAL_CALIBRATION_MAX_BINS;
    for (unsigned b = 0; b < nb; b++) total += cal->count[b];
    if (!total) return 0.0;
    double ece = 0;
    for (unsigned b = 0; b < nb; b++) {
        if (!cal->count[b]) continue;
        double n = (double)cal->count[b];
        ece += n / (double)total * fabs((double)cal->correct[b] / n - cal->conf_sum[b] / n);
    }
    return ece;
}
