#!/bin/sh
# Creates a demo PKI with the `openssl ca` layout in DIR:
#   ca.pem / ca.key              root CA
#   responder.pem / responder.key  delegated OCSP responder (OCSPSigning)
#   good.pem, revoked.pem        leaf certificates; revoked.pem is revoked
#                                (keyCompromise) in index.txt
#   index.txt, serial, newcerts/ as `openssl ca` keeps them
# Usage: demo-pki.sh DIR [rsa|ec|ed25519]
set -eu
dir=$1
alg=${2:-rsa}
openssl=${OPENSSL:-openssl}
mkdir -p "$dir/newcerts"
cd "$dir"
case $alg in
rsa) keyopt="-newkey rsa:2048" ;;
ec) keyopt="-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
ed25519) keyopt="-newkey ed25519" ;;
*) echo "demo-pki.sh: unknown algorithm $alg" >&2; exit 3 ;;
esac
: > index.txt
echo 1000 > serial
cat > ca.cnf <<CNF
[ ca ]
default_ca = demo
[ demo ]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
default_days = 365
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
countryName = optional
organizationName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_ocsp ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
authorityInfoAccess = OCSP;URI:http://127.0.0.1:8080/
CNF
# shellcheck disable=SC2086
$openssl req -x509 $keyopt -nodes -keyout ca.key -out ca.pem -days 3650 \
	-subj "/C=US/O=ocspkit demo/CN=ocspkit Demo Root CA" -config ca.cnf -extensions v3_ca 2>/dev/null
issue() { # name subject extensions
	# shellcheck disable=SC2086
	$openssl req $keyopt -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" -config ca.cnf 2>/dev/null
	$openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$1.csr" -out "$1.pem" \
		-extensions "$3" -notext 2>/dev/null
	rm -f "$1.csr"
}
issue responder "/O=ocspkit demo/CN=ocspkit Demo OCSP Responder" v3_ocsp
issue good "/O=ocspkit demo/CN=good.demo.test" v3_leaf
issue revoked "/O=ocspkit demo/CN=revoked.demo.test" v3_leaf
$openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -revoke revoked.pem \
	-crl_reason keyCompromise 2>/dev/null
