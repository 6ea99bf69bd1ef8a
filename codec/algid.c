/* AlgorithmIdentifier; see algid.h. */
#include <config.h>

#include "algid.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "ocsp_asn1.h"
#include "schema.h"
#include "try.h"

static const uint8_t der_null[2] = { OKIT_TAG_NULL, 0x00 };
const ocspkit_bytes okit_algid_null = { der_null, sizeof(der_null) };

ocspkit_err okit_algid_read(okit_dctx *c, const okit_tlv *t, ocspkit_algorithm_id *out)
{
	okit_val f[F_AlgorithmIdentifier__COUNT];
	TRY(okit_sch_split(c, T_AlgorithmIdentifier, t, f, F_AlgorithmIdentifier__COUNT));
	out->oid = okit_view(&f[F_AlgorithmIdentifier_algorithm].inner);
	out->params = f[F_AlgorithmIdentifier_parameters].present ? okit_whole(&f[F_AlgorithmIdentifier_parameters].inner)
								   : (ocspkit_bytes){ NULL, 0 };
	return OCSPKIT_OK;
}

void okit_algid_write(okit_buf *b, const ocspkit_algorithm_id *alg)
{
	size_t m = okit_der_open(b, ID_AlgorithmIdentifier);
	okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, alg->oid.data, alg->oid.len);
	okit_buf_put(b, alg->params.data, alg->params.len);
	okit_der_close(b, m);
}

ocspkit_err okit_algid_check(const ocspkit_algorithm_id *alg)
{
	if (!okit_der_oid_ok(alg->oid) || (alg->params.len && !okit_der_any_ok(alg->params)))
		return OCSPKIT_E_INVALID_ARGUMENT;
	return OCSPKIT_OK;
}

int okit_algid_no_params(ocspkit_bytes params)
{
	return params.len == 0 || (params.len == 2 && params.data[0] == OKIT_TAG_NULL && params.data[1] == 0);
}
