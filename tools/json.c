/* JSON forms of requests, responses and CRLs (jansson). */
#include <config.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "json.h"

static json_t *hex(ocspkit_bytes b)
{
	char *s;
	if (text_hex_encode(&s, b.data, b.len))
		return json_null();
	json_t *j = json_string(s);
	free(s);
	return j;
}

/* A serial number as the hex of its magnitude (what OpenSSL prints, in
 * lowercase); negative ones get a '-'. */
static json_t *serial_hex(ocspkit_bytes v)
{
	uint8_t mag[OCSPKIT_MAX_SERIAL_SIZE + 1];
	size_t n = v.len < sizeof(mag) ? v.len : sizeof(mag);
	int negative = n && (v.data[0] & 0x80);
	memcpy(mag, v.data, n);
	if (negative) { /* two's complement negation */
		int carry = 1;
		for (size_t i = n; i-- > 0;) {
			int x = (uint8_t)~mag[i] + carry;
			mag[i] = (uint8_t)x;
			carry = x >> 8;
		}
	}
	size_t skip = 0;
	while (skip + 1 < n && mag[skip] == 0)
		skip++;
	char *s;
	if (text_hex_encode(&s, mag + skip, n - skip))
		return json_null();
	json_t *j;
	if (negative) {
		char *t = malloc(strlen(s) + 2);
		if (!t) {
			free(s);
			return json_null();
		}
		t[0] = '-';
		strcpy(t + 1, s);
		j = json_string(t);
		free(t);
	} else {
		j = json_string(s);
	}
	free(s);
	return j;
}

/* RFC 3339, with the fraction of a second the time was written with
 * ("2026-11-22T01:57:04.25Z"), digit for digit. */
static json_t *time_str(int64_t t, ocspkit_bytes frac)
{
	char buf[OCSPKIT_TIME_STRING_SIZE + 1 + OCSPKIT_MAX_TIME_FRACTION_DIGITS];
	ocspkit_time_format(buf, t);
	if (frac.len && frac.len <= OCSPKIT_MAX_TIME_FRACTION_DIGITS) {
		size_t z = strlen(buf) - 1; /* the 'Z' */
		buf[z] = '.';
		memcpy(buf + z + 1, frac.data, frac.len);
		memcpy(buf + z + 1 + frac.len, "Z", 2);
	}
	return json_string(buf);
}

static json_t *oid_str(ocspkit_bytes oid)
{
	const char *name;
	char dotted[128];
	if (ocspkit_oid_name(&name, oid) == OCSPKIT_OK)
		return json_string(name);
	if (ocspkit_oid_to_dotted(dotted, sizeof(dotted), oid) == OCSPKIT_OK)
		return json_string(dotted);
	return json_null();
}

static json_t *dotted(ocspkit_bytes oid)
{
	char buf[128];
	if (ocspkit_oid_to_dotted(buf, sizeof(buf), oid) == OCSPKIT_OK)
		return json_string(buf);
	return json_null();
}

static json_t *name_str(ocspkit_bytes der)
{
	char *s;
	if (ocspkit_name_to_string(&s, der, OCSPKIT_NAME_RFC4514))
		return json_null();
	json_t *j = json_string(s);
	ocspkit_free(s);
	return j;
}

static json_t *cert_id(const ocspkit_cert_id *id)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "hashAlgorithm", oid_str(id->hash_algorithm.oid),
			 "issuerNameHash", hex(id->issuer_name_hash), "issuerKeyHash", hex(id->issuer_key_hash),
			 "serialNumber", serial_hex(id->serial));
}

static json_t *extensions(const ocspkit_extension *e, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:b, s:o}", "oid", dotted(e[i].oid), "name",
						   oid_str(e[i].oid), "critical", e[i].critical, "value",
						   hex(e[i].value)));
	return a;
}

static char *dump(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	return s;
}

char *cli_json_request(const ocspkit_request *req)
{
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;
	ocspkit_bytes nonce;
	json_t *o = json_object(), *list = json_array();

	ocspkit_request_get_tbs(&tbs, req);
	json_object_set_new(o, "type", json_string("request"));
	json_object_set_new(o, "version", json_integer(tbs.version + 1));
	if (tbs.requestor_name.len) {
		char *s;
		if (ocspkit_general_name_to_string(&s, tbs.requestor_name) == OCSPKIT_OK) {
			json_object_set_new(o, "requestorName", json_string(s));
			ocspkit_free(s);
		}
	}
	for (size_t i = 0; i < tbs.request_count; i++) {
		json_t *c = cert_id(&tbs.requests[i].cert_id);
		if (tbs.requests[i].extension_count)
			json_object_set_new(c, "singleRequestExtensions",
					    extensions(tbs.requests[i].extensions, tbs.requests[i].extension_count));
		json_array_append_new(list, c);
	}
	json_object_set_new(o, "requests", list);
	json_object_set_new(o, "nonce", ocspkit_request_get_nonce(&nonce, req) == OCSPKIT_OK ? hex(nonce) : json_null());
	json_object_set_new(o, "requestExtensions", extensions(tbs.extensions, tbs.extension_count));
	int is_signed = ocspkit_request_get_signature(&sig, req) == OCSPKIT_OK;
	json_object_set_new(o, "signed", json_boolean(is_signed));
	if (is_signed) {
		json_object_set_new(o, "signatureAlgorithm", oid_str(sig.algorithm.oid));
		json_object_set_new(o, "certificates", json_integer((json_int_t)sig.cert_count));
	}
	return dump(o);
}

char *cli_json_response(const ocspkit_response *resp)
{
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_bytes nonce;
	ocspkit_response_status st = ocspkit_response_get_status(resp);
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string("response"));
	json_object_set_new(o, "responseStatus", json_string(ocspkit_response_status_name(st)));
	if (st != OCSPKIT_RESPONSE_SUCCESSFUL)
		return dump(o);

	ocspkit_bytes type;
	if (ocspkit_response_get_tbs(&d, resp) != OCSPKIT_OK || ocspkit_response_get_signature(&sig, resp) != OCSPKIT_OK ||
	    ocspkit_response_get_type(&type, resp) != OCSPKIT_OK)
		return dump(o); /* a successful response has them */
	json_object_set_new(o, "responseType", oid_str(type));
	json_object_set_new(o, "version", json_integer(d.version + 1));
	if (d.responder_id.type == OCSPKIT_RESPONDER_BY_NAME)
		json_object_set_new(o, "responderID", json_pack("{s:o}", "byName", name_str(d.responder_id.value)));
	else
		json_object_set_new(o, "responderID", json_pack("{s:o}", "byKey", hex(d.responder_id.value)));
	json_object_set_new(o, "producedAt", time_str(d.produced_at, d.produced_at_fraction));
	json_object_set_new(o, "signatureAlgorithm", oid_str(sig.algorithm.oid));
	json_object_set_new(o, "nonce", ocspkit_response_get_nonce(&nonce, resp) == OCSPKIT_OK ? hex(nonce) : json_null());
	json_object_set_new(o, "certificates", json_integer((json_int_t)sig.cert_count));

	json_t *list = json_array();
	for (size_t i = 0; i < d.response_count; i++) {
		const ocspkit_single_response *s = &d.responses[i];
		int revoked = s->status == OCSPKIT_CERT_REVOKED;
		json_t *r = json_object();
		json_object_set_new(r, "certID", cert_id(&s->cert_id));
		json_object_set_new(r, "certStatus", json_string(ocspkit_cert_status_name(s->status)));
		json_object_set_new(r, "revocationTime",
				    revoked ? time_str(s->revocation_time, s->revocation_time_fraction) : json_null());
		json_object_set_new(r, "revocationReason",
				    revoked && s->has_revocation_reason
					    ? json_string(ocspkit_crl_reason_name(s->revocation_reason))
					    : json_null());
		json_object_set_new(r, "thisUpdate", time_str(s->this_update, s->this_update_fraction));
		json_object_set_new(r, "nextUpdate",
				    s->has_next_update ? time_str(s->next_update, s->next_update_fraction) : json_null());
		json_object_set_new(r, "singleExtensions", extensions(s->extensions, s->extension_count));
		json_array_append_new(list, r);
	}
	json_object_set_new(o, "responses", list);
	json_object_set_new(o, "responseExtensions", extensions(d.extensions, d.extension_count));
	return dump(o);
}

/* ---------------------------------------------------------------- CRLs */

static json_t *general_names(ocspkit_bytes names)
{
	json_t *a = json_array();
	ocspkit_bytes gn;
	while (ocspkit_general_names_next(&gn, &names) == OCSPKIT_OK) {
		char *s;
		if (ocspkit_general_name_to_string(&s, gn) == OCSPKIT_OK) {
			json_array_append_new(a, json_string(s));
			ocspkit_free(s);
		} else {
			json_array_append_new(a, json_null());
		}
	}
	return a;
}

/* ReasonFlags by their RFC 5280 names */
static json_t *reason_flags(unsigned bits)
{
	static const char *const names[] = { "unused", "keyCompromise", "cACompromise", "affiliationChanged",
					     "superseded", "cessationOfOperation", "certificateHold",
					     "privilegeWithdrawn", "aACompromise" };
	json_t *a = json_array();
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(names[i]));
	return a;
}

/* A distribution point name: fullName as a list, or the relative name as
 * text (the RDN's attributes, as one-RDN Name); absent parts are null. */
static void dp_name(json_t *o, const ocspkit_dp_name *dp)
{
	json_object_set_new(o, "fullName", dp->full_name.len ? general_names(dp->full_name) : json_null());
	json_object_set_new(o, "relativeName", dp->relative_name.len ? hex(dp->relative_name) : json_null());
}

char *cli_json_crl(const ocspkit_crl *crl)
{
	json_t *o = json_object();
	int64_t t;
	ocspkit_bytes v;
	ocspkit_crl_idp idp;
	ocspkit_authority_key_id aki;
	size_t n;

	json_object_set_new(o, "type", json_string("crl"));
	json_object_set_new(o, "version", json_integer(ocspkit_crl_get_version(crl) + 1));
	json_object_set_new(o, "signatureAlgorithm", oid_str(ocspkit_crl_get_signature_algorithm(crl)->oid));
	json_object_set_new(o, "issuer", name_str(ocspkit_crl_get_issuer(crl)));
	json_object_set_new(o, "thisUpdate", time_str(ocspkit_crl_get_this_update(crl), (ocspkit_bytes){ NULL, 0 }));
	json_object_set_new(o, "nextUpdate", ocspkit_crl_get_next_update(&t, crl) == OCSPKIT_OK
						     ? time_str(t, (ocspkit_bytes){ NULL, 0 })
						     : json_null());
	json_object_set_new(o, "crlNumber", ocspkit_crl_get_number(&v, crl) == OCSPKIT_OK ? serial_hex(v) : json_null());
	json_object_set_new(o, "deltaCRLIndicator",
			    ocspkit_crl_get_base_number(&v, crl) == OCSPKIT_OK ? serial_hex(v) : json_null());
	if (ocspkit_crl_get_issuing_distribution_point(&idp, crl) == OCSPKIT_OK) {
		json_t *i = json_object();
		dp_name(i, &idp.distribution_point);
		json_object_set_new(i, "onlyContainsUserCerts", json_boolean(idp.only_user_certs));
		json_object_set_new(i, "onlyContainsCACerts", json_boolean(idp.only_ca_certs));
		json_object_set_new(i, "onlySomeReasons",
				    idp.has_only_some_reasons ? reason_flags(idp.only_some_reasons) : json_null());
		json_object_set_new(i, "indirectCRL", json_boolean(idp.indirect_crl));
		json_object_set_new(i, "onlyContainsAttributeCerts", json_boolean(idp.only_attribute_certs));
		json_object_set_new(o, "issuingDistributionPoint", i);
	} else {
		json_object_set_new(o, "issuingDistributionPoint", json_null());
	}
	if (ocspkit_crl_get_authority_key_id(&aki, crl) == OCSPKIT_OK)
		json_object_set_new(o, "authorityKeyIdentifier",
				    json_pack("{s:o, s:o, s:o}", "keyIdentifier", aki.key_id.len ? hex(aki.key_id) : json_null(),
					      "authorityCertIssuer", aki.issuer.len ? general_names(aki.issuer) : json_null(),
					      "authorityCertSerialNumber", aki.serial.len ? serial_hex(aki.serial) : json_null()));
	else
		json_object_set_new(o, "authorityKeyIdentifier", json_null());
	if (ocspkit_crl_get_freshest_crl(NULL, 0, &n, crl) == OCSPKIT_OK) {
		ocspkit_distribution_point *dps = calloc(n ? n : 1, sizeof(*dps));
		json_t *a = json_array();
		if (dps && ocspkit_crl_get_freshest_crl(dps, n, &n, crl) == OCSPKIT_OK) {
			for (size_t i = 0; i < n; i++) {
				json_t *d = json_object();
				dp_name(d, &dps[i].distribution_point);
				json_object_set_new(d, "reasons", dps[i].has_reasons ? reason_flags(dps[i].reasons) : json_null());
				json_object_set_new(d, "cRLIssuer",
						    dps[i].crl_issuer.len ? general_names(dps[i].crl_issuer) : json_null());
				json_array_append_new(a, d);
			}
		}
		free(dps);
		json_object_set_new(o, "freshestCRL", a);
	} else {
		json_object_set_new(o, "freshestCRL", json_null());
	}
	json_object_set_new(o, "unknownCriticalExtension", json_boolean(ocspkit_crl_has_unknown_critical_extension(crl)));
	size_t ne = ocspkit_crl_get_extension_count(crl);
	json_object_set_new(o, "crlExtensions", extensions(ne ? ocspkit_crl_get_extension(crl, 0) : NULL, ne));

	json_t *list = json_array();
	for (size_t i = 0; i < ocspkit_crl_get_entry_count(crl); i++) {
		ocspkit_crl_entry e;
		ocspkit_extension x;
		if (ocspkit_crl_get_entry(&e, crl, i) != OCSPKIT_OK) {
			json_decref(list);
			json_decref(o);
			return NULL;
		}
		json_t *r = json_object();
		json_object_set_new(r, "serialNumber", serial_hex(e.serial));
		json_object_set_new(r, "revocationDate", time_str(e.revocation_date, (ocspkit_bytes){ NULL, 0 }));
		json_object_set_new(r, "reason", e.has_reason ? json_string(ocspkit_crl_reason_name(e.reason)) : json_null());
		json_object_set_new(r, "invalidityDate",
				    e.has_invalidity_date ? time_str(e.invalidity_date, (ocspkit_bytes){ NULL, 0 }) : json_null());
		json_object_set_new(r, "holdInstructionCode", e.hold_instruction.len ? dotted(e.hold_instruction) : json_null());
		json_object_set_new(r, "certificateIssuer",
				    e.certificate_issuer.len ? general_names(e.certificate_issuer) : json_null());
		json_t *xs = json_array();
		for (size_t k = 0; ocspkit_crl_entry_get_extension(&x, &e, k) == OCSPKIT_OK; k++)
			json_array_append_new(xs, json_pack("{s:o, s:o, s:b, s:o}", "oid", dotted(x.oid), "name",
							    oid_str(x.oid), "critical", x.critical, "value", hex(x.value)));
		json_object_set_new(r, "extensions", xs);
		json_array_append_new(list, r);
	}
	json_object_set_new(o, "revokedCertificates", list);
	json_object_set_new(o, "signature", hex(ocspkit_crl_get_signature(crl)));
	return dump(o);
}
