#!/bin/sh
# The responder benchmark (make bench-responder; not part of make check):
# requests per second and 99th-percentile latency at 1, 8 and 64
# connections, measured with wrk on loopback, for
#
#   GET             an RFC 5019 GET (one CertID, no nonce)
#   POST            the same request in a POST body
#   POST+nonce      POST with a fresh 16-octet nonce per request
#
# against `ocspkit serve` (pre-signed cache, keep-alive), `openssl ocsp
# -multi 2` with the same index, signer and validity (it signs every
# request and closes every connection), and nginx serving the same
# pre-signed DER file (from `ocspkit presign`) as a static file, with a
# delegated responder key of RSA-2048 and of P-256.  Prints the table and
# the ratios: cached GET against openssl ocsp, and against nginx static.
#
#   bench/responder.sh OCSPKIT [SECONDS]     (default 5 seconds per run)
# Environment: BENCH_DATA keeps the PKIs and logs in that directory;
# BENCH_KEYS (default "rsa ec"), BENCH_CONNS (default "1 8 64").
set -eu
ocspkit=$1
secs=${2:-5}
top=$(cd "$(dirname "$0")/.." && pwd)
openssl=${OPENSSL:-openssl}
keys=${BENCH_KEYS:-rsa ec}
conns=${BENCH_CONNS:-1 8 64}
for tool in wrk nginx curl python3; do
	command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || {
		echo "bench-responder: $tool is needed (Debian: apt-get install wrk nginx curl)" >&2
		exit 77
	}
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ -n "${BENCH_DATA:-}" ]; then
	work=$BENCH_DATA
	mkdir -p "$work"
else
	work=$(mktemp -d /tmp/ocspkit-bench-responder.XXXXXX)
fi
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	if [ -z "${BENCH_DATA:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() {
	for _ in $(seq 1 100); do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" "$1" \
			2>/dev/null && return 0
		sleep 0.1
	done
	echo "bench-responder: nothing listens on port $1" >&2
	return 1
}

cat > "$work/post.lua" <<'LUA'
-- POST of the DER request in $OCSP_BODY; with $OCSP_NONCE=1 the last 16
-- octets (the nonce, last in an unsigned request) are new for each request
local f = assert(io.open(os.getenv("OCSP_BODY"), "rb"))
local body = f:read("*a")
f:close()
local nonce = os.getenv("OCSP_NONCE") == "1"
local prefix = body:sub(1, #body - 16)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
wrk.body = body
local bytes = {}
function setup(thread)
	math.randomseed(os.time() + tonumber(tostring(thread):match("0x(%x+)") or "0", 16) % 100000)
end
request = function()
	if not nonce then
		return wrk.format()
	end
	for i = 1, 16 do
		bytes[i] = string.char(math.random(0, 255))
	end
	return wrk.format(nil, nil, nil, prefix .. table.concat(bytes))
end
LUA

# one wrk run: prints "req/s p99-ms errors"
run_wrk() { # url conns kind body
	t=2
	[ "$2" -lt 2 ] && t=1
	case $3 in
	GET) out=$(wrk -t"$t" -c"$2" -d"${secs}s" --latency "$1" 2>&1) ;;
	POST) out=$(OCSP_BODY=$4 OCSP_NONCE=0 wrk -t"$t" -c"$2" -d"${secs}s" --latency -s "$work/post.lua" "$1" 2>&1) ;;
	POST+nonce) out=$(OCSP_BODY=$4 OCSP_NONCE=1 wrk -t"$t" -c"$2" -d"${secs}s" --latency -s "$work/post.lua" "$1" 2>&1) ;;
	esac
	echo "$out" >>"$work/wrk.log"
	rps=$(echo "$out" | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p')
	p99=$(echo "$out" | sed -n 's/^ *99% *\([0-9.]*\)\([a-z]*\).*/\1 \2/p' | awk '{
		v = $1; u = $2; if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000;
		printf "%.2f", v }')
	errs=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
	sock=$(echo "$out" | sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p')
	echo "${rps:-0} ${p99:-0} ${errs:-0}${sock:+/$sock}"
}

results=$work/results.tsv
: >"$results"
echo "bench-responder: wrk on loopback, ${secs}s per run, $(nproc) CPUs; data in $work" >&2
for key in $keys; do
	pki=$work/pki-$key
	rm -rf "$pki"
	OPENSSL=$openssl sh "$top/scripts/demo-pki.sh" "$pki" "$key" >/dev/null 2>&1
	"$ocspkit" request --issuer "$pki/ca.pem" --cert "$pki/good.pem" --no-nonce --out "$pki/req.der"
	"$ocspkit" request --issuer "$pki/ca.pem" --cert "$pki/good.pem" --nonce-value \
		000102030405060708090a0b0c0d0e0f --out "$pki/req-nonce.der"
	b64=$(base64 -w0 "$pki/req.der")
	signer="--index $pki/index.txt --CA $pki/ca.pem --rsigner $pki/responder.pem --rkey $pki/responder.key"

	# ocspkit serve
	# shellcheck disable=SC2086
	"$ocspkit" serve $signer --port 0 --nmin 60 --access-log none 2>"$work/serve-$key.log" &
	spid=$!
	pids="$pids $spid"
	for _ in $(seq 1 100); do
		surl=$(sed -n 's|.*listening on \(http://[^ ]*\) .*|\1|p' "$work/serve-$key.log")
		[ -n "$surl" ] && break
		sleep 0.1
	done
	[ -n "$surl" ] || { cat "$work/serve-$key.log" >&2; exit 1; }
	curl -sf "$surl$b64" -o "$work/check.der"
	"$openssl" ocsp -respin "$work/check.der" -issuer "$pki/ca.pem" -cert "$pki/good.pem" -CAfile "$pki/ca.pem" \
		2>&1 | grep -q ": good" || { echo "bench-responder: ocspkit's answer does not verify" >&2; exit 1; }

	# nginx serving the pre-signed file
	"$ocspkit" presign $signer --nmin 60 --hash sha1 --quiet "$work/static-$key"
	nport=$(free_port)
	ngx=$work/nginx-$key
	mkdir -p "$ngx/logs"
	user=
	[ "$(id -u)" = 0 ] && user="user root;"
	cat >"$ngx/nginx.conf" <<NGX
$user
worker_processes 2;
error_log $ngx/logs/error.log;
pid $ngx/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	# nginx at its best for a static file: the comparison is against that
	sendfile on; tcp_nopush on; open_file_cache max=1000; open_file_cache_valid 60s; keepalive_requests 1000000;
	client_body_temp_path $ngx/t1; proxy_temp_path $ngx/t2; fastcgi_temp_path $ngx/t3;
	uwsgi_temp_path $ngx/t4; scgi_temp_path $ngx/t5;
	server {
		listen 127.0.0.1:$nport;
		root $work/static-$key;
		location / { default_type application/ocsp-response; expires modified +1h; }
	}
}
NGX
	"$nginx" -p "$ngx" -c "$ngx/nginx.conf" -g "daemon off;" 2>"$ngx/logs/stderr" &
	npid=$!
	pids="$pids $npid"
	wait_port "$nport"
	curl -sf "http://127.0.0.1:$nport/$b64" -o "$work/static.der"
	# the file nginx serves must be the pre-signed response itself
	if ! cmp -s "$work/static.der" "$work/static-$key/$b64"; then
		echo "bench-responder: nginx did not serve the pre-signed response for $b64" >&2
		exit 1
	fi

	for c in $conns; do
		for kind in GET POST POST+nonce; do
			body=$pki/req.der
			[ "$kind" = POST+nonce ] && body=$pki/req-nonce.der
			url=$surl
			[ "$kind" = GET ] && url=$surl$b64
			echo "ocspkit	$key	$kind	$c	$(run_wrk "$url" "$c" "$kind" "$body")" >>"$results"
			# openssl ocsp, started afresh for each run: its workers can
			# hang on connections closed early, as wrk's are at the end
			oport=$(free_port)
			"$openssl" ocsp -index "$pki/index.txt" -CA "$pki/ca.pem" -rsigner "$pki/responder.pem" \
				-rkey "$pki/responder.key" -port "$oport" -multi 2 -nmin 60 >"$work/openssl-$key.log" 2>&1 &
			opid=$!
			# (not wait_port: a connection closed without a request makes an
			# openssl ocsp worker spin at 100% CPU, the bug the issue measured)
			for _ in $(seq 1 100); do
				grep -q "^ACCEPT" "$work/openssl-$key.log" 2>/dev/null && break
				sleep 0.1
			done
			sleep 0.2
			ourl=http://127.0.0.1:$oport/
			[ "$kind" = GET ] && ourl=$ourl$b64
			echo "openssl	$key	$kind	$c	$(run_wrk "$ourl" "$c" "$kind" "$body")" >>"$results"
			# its workers may spin (see above) and its parent respawns them:
			# the parent goes first, then the workers, by their ids
			kids=$(pgrep -P "$opid" || true)
			kill -9 "$opid" 2>/dev/null || true
			for k in $kids; do kill -9 "$k" 2>/dev/null || true; done
			wait "$opid" 2>/dev/null || true
		done
		echo "nginx	$key	GET	$c	$(run_wrk "http://127.0.0.1:$nport/$b64" "$c" GET "")" >>"$results"
		echo "  $key, $c connections: done" >&2
	done
	kill "$spid" "$npid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	wait "$npid" 2>/dev/null || true
	pids=
done

# ---- the table
awk -F'\t' -v keys_list="$keys" -v conns_list="$conns" '
	{ split($5, a, " "); rps[$1 "|" $2 "|" $3 "|" $4] = a[1]; p99[$1 "|" $2 "|" $3 "|" $4] = a[2];
	  err[$1 "|" $2 "|" $3 "|" $4] = a[3] }
	END {
		printf "%-4s %-11s %5s | %10s %8s | %10s %8s | %10s %8s | %8s %8s\n", "key", "request", "conns",
			"ocspkit/s", "p99 ms", "openssl/s", "p99 ms", "nginx/s", "p99 ms", "vs ossl", "vs nginx"
		n = split(keys_list, ks, " "); m = split(conns_list, cs, " "); split("GET POST POST+nonce", kinds, " ")
		for (i = 1; i <= n; i++) for (k = 1; k <= 3; k++) for (j = 1; j <= m; j++) {
			key = ks[i]; c = cs[j]; kind = kinds[k]
			o = "ocspkit|" key "|" kind "|" c; s = "openssl|" key "|" kind "|" c; x = "nginx|" key "|" kind "|" c
			if (!(o in rps)) continue
			ng = (x in rps) ? sprintf("%10.0f %8s", rps[x], p99[x]) : sprintf("%10s %8s", "-", "-")
			r1 = (rps[s] > 0) ? sprintf("%7.1fx", rps[o] / rps[s]) : "-"
			r2 = (x in rps && rps[x] > 0) ? sprintf("%7.2fx", rps[o] / rps[x]) : "-"
			printf "%-4s %-11s %5s | %10.0f %8s | %10.0f %8s | %s | %8s %8s\n", (key == "ec" ? "P256" : "RSA"),
				kind, c, rps[o], p99[o], rps[s], p99[s], ng, r1, r2
			if (err[o] != "0" || err[s] != "0" || (x in err && err[x] != "0"))
				printf "     errors (non-2xx/socket): ocspkit %s, openssl %s, nginx %s\n", err[o], err[s], err[x]
		}
	}' "$results"
echo
echo "vs ossl: ocspkit / openssl ocsp -multi 2 (same index, signer, validity); vs nginx: ocspkit / nginx"
echo "serving the pre-signed DER file. Targets: cached GET >= 20x openssl, and >= 1/1.5 = 0.67x nginx."
