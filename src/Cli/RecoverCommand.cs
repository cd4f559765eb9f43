namespace StemeQL.Cli;

/// <summary>
/// <c>steme recover [--salvage] [folder]</c>: opens the database to check its journal and says what
/// recovery did (a torn tail cut, damage in already applied frames skipped). With <c>--salvage</c>, a
/// damaged journal is salvaged instead of refused: every valid write is kept, the journal is rewritten
/// (the damaged one stays beside it) and the LSNs lost are printed.
/// </summary>
internal static class RecoverCommand
{
    public const string Usage = """
        Usage: steme recover [--salvage] [folder]

        Opens the database in folder (default ./stemedb) and reports what journal recovery did.
        A torn tail (what a crash leaves) is always cut. Any other damage to the journal where
        acknowledged writes live refuses to open (exit code 1) and changes nothing.

        Options:
          --salvage   keep every valid write after the damage, rewrite the journal cleanly (the
                      damaged one is kept as journal.damaged-<time>) and print exactly which LSNs
                      were lost; new writes get LSNs above everything that was ever durable
          -h, --help  show this help and exit

        Salvage only when there is no backup to restore: the lost writes are gone for good.
        """;

    /// <returns>0 the journal is (now) sound; 1 it is damaged (without --salvage) or the database failed; 2 a bad command line.</returns>
    public static int Run(IReadOnlyList<string> args, ConsoleHost host)
    {
        bool salvage = false;
        string? folder = null;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--salvage": salvage = true; break;
                case "-h" or "--help" or "-?":
                    host.Out.WriteLine(Usage);
                    return 0;
                default:
                    if (arg.StartsWith('-') || folder is not null)
                    {
                        host.Error.WriteLine(arg.StartsWith('-') ? $"steme recover: unknown option '{arg}'" : $"steme recover: one folder only, got also '{arg}'");
                        host.Error.WriteLine();
                        host.Error.WriteLine(Usage);
                        return ShellOptions.UsageExitCode;
                    }
                    folder = arg;
                    break;
            }
        }
        folder ??= ShellOptions.DefaultFolder;
        if (!Directory.Exists(folder))
        {
            host.Error.WriteLine($"error: there is no database folder '{folder}'");
            return 1;
        }

        var settings = new StemeConnectionStringBuilder { DataSource = folder, Recovery = salvage ? StemeRecovery.Salvage : StemeRecovery.Normal };
        try
        {
            using var connection = new StemeConnection(settings.ConnectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM stemeql_status";
            using var reader = command.ExecuteReader();
            reader.Read();
            int recovered = reader.GetOrdinal("recovered");
            long durable = reader.GetInt64(reader.GetOrdinal("durable_lsn"));
            host.Out.WriteLine(reader.IsDBNull(recovered)
                ? $"The journal is sound: nothing was cut or lost (durable LSN {durable})."
                : $"Recovered: {reader.GetString(recovered)}. Durable LSN {durable}; new writes continue after it.");
            return 0;
        }
        catch (Exception e) when (e is StemeException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            host.Error.WriteLine(ErrorReporter.Describe(e));
            return 1;
        }
    }
}
