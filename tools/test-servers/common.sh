# Shared by s3rver.sh and postgres.sh: where a server's state lives, and a free loopback port.
# Each server keeps its pid, data and log under $STATE/<name>/ and writes $STATE/<name>.env, which
# test.sh sources and the test fixtures read (tests/Shared/TestServers.cs) when the variables are unset.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${STEMEQL_TEST_SERVERS_STATE:-$here/.run}"
mkdir -p "$STATE"

free_port() {
    node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# wait_for_port PORT SECONDS: true once something accepts connections on 127.0.0.1:PORT.
wait_for_port() {
    local port="$1" deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    return 1
}
