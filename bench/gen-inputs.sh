#!/bin/sh
# Generates the benchmark's inputs with the openssl command: a root CA, a
# delegated responder (RSA-2048, id-kp-OCSPSigning) signed by it, one leaf,
# an index.txt, and requests answered by `openssl ocsp -index`.
#
#   gen-inputs.sh OUTDIR
#
# OUTDIR gets:
#   req1.der          request for the leaf (with a nonce, as openssl writes it)
#   resp1-certs.der   its response, the responder certificate embedded
#   resp1-nocerts.der the same request answered with -resp_no_certs
#   req20.der         request for 20 serials of the same CA
#   resp20.der        its response: 20 SingleResponses, certificate embedded
# The bench takes the CertIDs it looks up from the requests, so that every
# library is asked about exactly what the responder answered.
#
# OPENSSL in the environment names the command (default: openssl).
set -eu

out=${1:?usage: gen-inputs.sh OUTDIR}
ossl=${OPENSSL:-openssl}
mkdir -p "$out"
cd "$out"

# Keys are generated fresh: the bench measures decoding, not these bytes,
# and nothing secret or random ever lands in the repository.
cat >ext.cnf <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[responder]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:leaf.bench.example
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

gen_key() {
	"$ossl" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
}

gen_key ca.key
"$ossl" req -new -x509 -key ca.key -out ca.pem -days 3650 -sha256 \
	-subj "/C=US/O=ocspkit bench/CN=Bench Root CA" \
	-extensions ca -config ext.cnf -set_serial 0x01 2>/dev/null

# cert NAME SERIAL SUBJECT EXTSECTION
cert() {
	gen_key "$1.key"
	"$ossl" req -new -key "$1.key" -subj "$3" -out "$1.csr" 2>/dev/null
	"$ossl" x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$2" \
		-days 3650 -sha256 -extfile ext.cnf -extensions "$4" -out "$1.pem" 2>/dev/null
}
cert responder 0x0100 "/C=US/O=ocspkit bench/CN=Bench OCSP Responder" responder
cert leaf 0x1001 "/C=US/O=ocspkit bench/CN=leaf.bench.example" leaf

# index.txt: the leaf and 20 more serials, all valid (status good).
expiry=$(date -u -d '+3650 days' +%y%m%d%H%M%SZ 2>/dev/null || echo 351231235959Z)
{
	printf 'V\t%s\t\t1001\tunknown\t/C=US/O=ocspkit bench/CN=leaf.bench.example\n' "$expiry"
	i=1
	while [ $i -le 20 ]; do
		printf 'V\t%s\t\t%04X\tunknown\t/C=US/O=ocspkit bench/CN=host%d.bench.example\n' \
			"$expiry" $((0x2000 + i)) $i
		i=$((i + 1))
	done
} >index.txt

answer() { # REQ RESP [extra options]
	req=$1 resp=$2
	shift 2
	"$ossl" ocsp -index index.txt -CA ca.pem -rsigner responder.pem -rkey responder.key \
		-rmd sha256 -ndays 7 -reqin "$req" -respout "$resp" "$@" >/dev/null 2>&1
}

"$ossl" ocsp -issuer ca.pem -cert leaf.pem -reqout req1.der >/dev/null 2>&1
answer req1.der resp1-certs.der
answer req1.der resp1-nocerts.der -resp_no_certs

set --
i=1
while [ $i -le 20 ]; do
	set -- "$@" -serial "$((0x2000 + i))"
	i=$((i + 1))
done
"$ossl" ocsp -issuer ca.pem "$@" -reqout req20.der >/dev/null 2>&1
answer req20.der resp20.der

# The leaf must come back good from a response signed by the delegated
# responder: if openssl itself disagrees, the inputs are wrong.
"$ossl" ocsp -respin resp1-certs.der -CAfile ca.pem -issuer ca.pem -cert leaf.pem -no_nonce \
	2>&1 | grep -q 'leaf.pem: good' || { echo "gen-inputs: response does not verify" >&2; exit 1; }

rm -f ./*.csr ext.cnf
for f in req1.der resp1-certs.der resp1-nocerts.der req20.der resp20.der; do
	test -s "$f" || { echo "gen-inputs: $f missing" >&2; exit 1; }
done
