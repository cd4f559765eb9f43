using StemeQL.CrashWriter;

// The child process of the durability tests (tests/StemeQL.Tests/Durability). Every mode writes
// line-oriented results to stdout, one record per line, fields separated by single spaces:
//
//   B <n>                 a write is about to start; it will take n new LSNs (printed before the write)
//   A <hash> <lsn>        an assertion the store acknowledged (durable) at that LSN
//   V <hash> <lsn> <w>    a vote on <hash> with weight <w> acknowledged at that LSN
//   W <first> <last> <n>  the write that began with the last B line is acknowledged: LSNs first..last (n of them; 0 0 0 when it took none)
//   P <rows>              bulk mode: rows acknowledged so far by the running bulk load
//   READY / DONE / OK     mode-specific markers
//   OPENED / STORED       probe modes: opening (put-object: and storing a large value) worked
//   LOCKED <code> <msg>   probe modes: opening (put-object: or storing) was refused
//   L <lsn>               shared-write mode: a write acknowledged at that LSN
//
// Lines are flushed once a write is acknowledged, so a line on stdout is a promise the store must keep.
return args switch
{
    ["write", var folder, var seed] => RandomWriter.Run(folder, (int)Number(seed)),
    ["bulk", var folder, var count] => BulkModes.Run(folder, Number(count), 65_536),
    ["bulk", var folder, var count, var batchSize] => BulkModes.Run(folder, Number(count), (int)Number(batchSize)),
    ["hold", var folder] => FolderModes.Hold(folder),
    ["probe", var folder] => FolderModes.Probe(folder),
    ["read", var folder] => FolderModes.Read(folder),
    ["read-probe", var folder] => PermissionModes.ReadProbe(folder),
    ["put-object", var folder] => PermissionModes.PutObject(folder),
    ["shared-write", var connectionString, var seed, var count] => SharedWriter.Run(connectionString, (int)Number(seed), Number(count)),
    _ => Usage(),
};

static long Number(string text) => long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("""
        usage: StemeQL.CrashWriter write <folder> <seed>   random writes forever, printing each acknowledged item
               StemeQL.CrashWriter bulk <folder> <count> [batch]  one bulk load of <count> votes, printing progress
               StemeQL.CrashWriter hold <folder>           open for writing, print READY, then run stdin commands until it closes
               StemeQL.CrashWriter probe <folder>          try to open for writing; print OPENED or LOCKED <code> <message>
               StemeQL.CrashWriter read <folder>           open Read Only=True and print every assertion and vote
               StemeQL.CrashWriter read-probe <folder>     try to open Read Only=True; print OPENED or LOCKED <code> <message>
               StemeQL.CrashWriter put-object <folder>     open for writing and store a 256 KiB bytes value; print STORED or LOCKED <code> <message>
               StemeQL.CrashWriter shared-write <connection string> <seed> <count>  <count> writes beside other processes, printing each LSN
        """);
    return 64;
}
