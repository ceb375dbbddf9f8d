# Reads `perf script` output of a Hub node and prints the share of samples whose stack holds metrics code, split into
# recording (instruments on the send, dispatch, ack and store paths) and scraping (the Prometheus endpoint), with how
# much of the scraping was the JIT compiling the exporter. Used by metrics-share.sh.
import sys, re
pat = re.compile(r'(OpenTelemetry|System\.Diagnostics\.Metrics|HubMetrics|Prometheus|MetricsEndpoint)')
scrape = re.compile(r'(Prometheus|MetricsEndpoint)')
total=hit=sc=jit=0
blk=[]
def fl(b):
    global total,hit,sc,jit
    if len(b)<2: return
    total+=1
    fr=b[1:]
    m=[f for f in fr if pat.search(f)]
    if not m: return
    if any(scrape.search(f) for f in fr):
        sc+=1
        if any('libclrjit' in f for f in fr): jit+=1
    else: hit+=1
for line in open(sys.argv[1],errors='replace'):
    if not line.strip(): fl(blk); blk=[]
    else: blk.append(line)
fl(blk)
print(f"samples {total}: recording {100*hit/total:.2f} %, scrape {100*sc/total:.2f} % ({jit} of its {sc} samples in the JIT)")
