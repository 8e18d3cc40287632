-- wrk: DELETE deleteFiles with the JSON body in $BODY and the key in $KEY.
wrk.method = "DELETE"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("KEY") or "bench-key")
wrk.body = os.getenv("BODY")
