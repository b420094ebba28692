/* A tiny external program built against the installed vocal (utf8proc's
 * test/app idea): it must compile, link and run through both find_package
 * and pkg-config. */
#include <stdio.h>
#include <string.h>
#include <vocal/vocal.h>

int main(void)
{
    if (strcmp(vocal_version(), VOCAL_VERSION_STRING) != 0) {
        fprintf(stderr, "header %s, library %s\n", VOCAL_VERSION_STRING, vocal_version());
        return 1;
    }
    vocal_tokenizer *tk = NULL;
    vocal_workspace *ws = NULL;
    if (vocal_tokenizer_new(&tk, NULL, NULL) != VOCAL_OK || vocal_workspace_new(&ws, tk, NULL) != VOCAL_OK)
        return 1;
    const vocal_token *t;
    const char *text = "Deliveries were LATE again :(";
    int n = vocal_text_tokenize(&t, NULL, ws, text, strlen(text), NULL);
    for (int i = 0; i < n; i++) printf("%s%s", i ? " " : "", t[i].stem);
    printf("\n");
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    return n == 5 ? 0 : 1;
}
