/* JSON forms of requests, responses and CRLs for `print --json` (jansson). */
#ifndef OCSPKIT_TOOLS_JSON_H
#define OCSPKIT_TOOLS_JSON_H

#include <ocspkit/ocspkit.h>

/* JSON forms for `print --json` (json.c); return a malloc'd string. */
char *cli_json_request(const ocspkit_request *req);
char *cli_json_response(const ocspkit_response *resp);
char *cli_json_crl(const ocspkit_crl *crl);

#endif
