using StemeQL.Workloads;

// Whole-workload benchmarks of the durable write path and of reads. Each prints a markdown table of medians over
// repetitions beside a baseline measured in the same run, and the command line that reproduces it.
// Figures and their meaning: docs/performance.md.
const string usage = """
    usage: dotnet run -c Release --project bench/StemeQL.Workloads -- <workload> [--name value]... [--quick]

      ingest-votes       durable votes/s through StemeBulkLoader and StemeBatch vs raw append + fsync
                         --votes 5000000 --batch 8192 --dbatch 1000 --dbatch-votes <votes> --reps 5
      ingest-assertions  the same for assertions       --assertions 500000 --batch 8192 --dbatch 1000 --reps 5
      assert-latency     one ASSERT per round trip, p50/p99, vs raw append+fsync and SQLite
                         --threads 1,16 --seconds 5 --reps 5
      catch-up           materializer events/s after a bulk load vs raw SQLite inserts
                         --votes 5000000 --reps 5
      lag                materializer lag under a paced writer   --rate 100000 --seconds 20 --reps 5
      memory             working set and GC heap while ingesting  --votes 10000000
      read-latency       prepared lookups, Dapper, by hash, by agent, count(*), GROUP BY vs a SQLite peer
                         --assertions 200000 --ops 20000 --reps 5
      vote-reads         votes by hash and by agent (newest 10, all, counts, AS OF): CPU and wall per read
                         --votes 1000000 --targets 1000 --ops 2000 --reps 3
      write-peer         DbBatch VOTEs/ASSERTs, single ASSERT, Dapper and 16 writers vs a SQLite peer table
                         --votes 200000 --assertions 200000 --batches 1000,10000 --dapper-votes 20000
                         --seconds 3 --writers 16 --reps 5
                         --only votes,assertions,latency,dapper,writers (default all: the sections to run)
      batch-cost         one DbBatch of VOTEs in CPU and counts: the writer's CPU per batch, bytes per vote,
                         collections, each thread's CPU, runnable wait and sleeps per batch
                         --per-batch 1000 --batches 1000 --warm-batches 1500
      pg-peer            the PostgreSQL tier: consensus lookup and bulk ingest vs raw Npgsql (--pg CONNECTION)
                         --sets 20000 --lookups 20000 --block 1000 (StemeQL and raw lookups interleaved in blocks)
                         --votes 200000 --assertions 200000 --batches 1000,10000 --dapper-votes 20000
                         --seconds 3 --writers 16 --reps 5
      pg-writers         1, 4 and 16 writers (single ASSERTs) across 2 processes on one PostgreSQL database
                         --pg CONNECTION --writers 1,4,16 --seconds 10 --reps 3
      objects            one large bytes value written and read through the folder and S3 object stores vs a
                         raw file copy / read and a raw AWS SDK upload / GetObject, and the reader's memory
                         --mb 1024 --reps 3 --s3 <url> --bucket <name>
      all                every workload above, one after the other (same options)

    common: --dir <folder for the data folders> (default: the temp folder), --quick (small sizes),
            --warmup 0 (skip the untimed warm-up pass over the write paths)
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(usage);
    return args.Length == 0 ? 64 : 0;
}

Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(usage);
    return 64;
}

var workloads = new Dictionary<string, Action<Options>>(StringComparer.Ordinal)
{
    ["ingest-votes"] = Ingest.Votes,
    ["ingest-assertions"] = Ingest.Assertions,
    ["assert-latency"] = Latency.Run,
    ["catch-up"] = Materializer.CatchUp,
    ["lag"] = Materializer.Lag,
    ["memory"] = Memory.Run,
    ["read-latency"] = Reads.Latency,
    ["vote-reads"] = VoteReads.Run,
    ["write-peer"] = WritePeer.Run,
    ["batch-cost"] = BatchCost.Run,
    ["pg-peer"] = PgPeer.Run,
    ["pg-writers"] = PgWriters.Run,
    ["objects"] = Objects.Run,
};

// A writer process of pg-writers: no warm-up, and not one of the workloads "all" runs.
if (options.Command == PgWriters.ChildCommand)
{
    PgWriters.Child(options);
    return 0;
}

if (options.Command == "all")
{
    WarmUp.Run(options);
    foreach (string name in workloads.Keys)
    {
        var one = Options.Parse([name, .. args[1..], "--warmup", "0"]);
        WarmUp.Run(one);
        workloads[name](one);
    }
    return 0;
}
if (!workloads.TryGetValue(options.Command, out var workload))
{
    Console.Error.WriteLine($"Unknown workload '{options.Command}'.");
    Console.Error.WriteLine(usage);
    return 64;
}
WarmUp.Run(options);
workload(options);
foreach (string name in options.Unused) Console.Error.WriteLine($"warning: option --{name} is not used by {options.Command}.");
return 0;
