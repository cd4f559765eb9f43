using System.Collections;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace StemeQL;

/// <summary>
/// Builds and parses StemeQL connection strings. Keywords are case-insensitive and have aliases:
/// <c>Data Source</c> (<c>DataSource</c>, <c>Filename</c>), <c>Storage</c>, <c>Agent</c>, <c>Consistency</c>,
/// <c>Command Timeout</c> (<c>Default Command Timeout</c>), <c>Read Only</c> (<c>ReadOnly</c>), <c>Recovery</c>, <c>Enlist</c>,
/// <c>Slow Query Threshold</c> (<c>SlowQueryThreshold</c>), <c>Store Idle Timeout</c> (<c>StoreIdleTimeout</c>),
/// <c>Allow Agent Override</c> (<c>AllowAgentOverride</c>) and the <c>Object …</c> keywords of the object store.
/// An unknown keyword is an error.
/// </summary>
public sealed partial class StemeConnectionStringBuilder : DbConnectionStringBuilder
{
    private const string DataSourceKeyword = "Data Source";
    private const string StorageKeyword = "Storage";
    private const string AgentKeyword = "Agent";
    private const string ConsistencyKeyword = "Consistency";
    private const string CommandTimeoutKeyword = "Command Timeout";
    private const string ReadOnlyKeyword = "Read Only";
    private const string RecoveryKeyword = "Recovery";
    private const string EnlistKeyword = "Enlist";
    private const string SlowQueryThresholdKeyword = "Slow Query Threshold";

    private const string StoreIdleTimeoutKeyword = "Store Idle Timeout";
    private const string AllowAgentOverrideKeyword = "Allow Agent Override";

    private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        [DataSourceKeyword] = DataSourceKeyword, ["DataSource"] = DataSourceKeyword, ["Filename"] = DataSourceKeyword,
        [StorageKeyword] = StorageKeyword,
        [AgentKeyword] = AgentKeyword,
        [ConsistencyKeyword] = ConsistencyKeyword,
        [CommandTimeoutKeyword] = CommandTimeoutKeyword, ["Default Command Timeout"] = CommandTimeoutKeyword,
        [ReadOnlyKeyword] = ReadOnlyKeyword, ["ReadOnly"] = ReadOnlyKeyword,
        [RecoveryKeyword] = RecoveryKeyword,
        [EnlistKeyword] = EnlistKeyword,
        [SlowQueryThresholdKeyword] = SlowQueryThresholdKeyword, ["SlowQueryThreshold"] = SlowQueryThresholdKeyword,
        [ObjectThresholdKeyword] = ObjectThresholdKeyword, [ObjectBucketKeyword] = ObjectBucketKeyword,
        [ObjectPrefixKeyword] = ObjectPrefixKeyword, [ObjectServiceUrlKeyword] = ObjectServiceUrlKeyword,
        ["Object Endpoint"] = ObjectServiceUrlKeyword, [ObjectPathStyleKeyword] = ObjectPathStyleKeyword,
        [ObjectRegionKeyword] = ObjectRegionKeyword, [ObjectAccessKeyKeyword] = ObjectAccessKeyKeyword,
        [ObjectSecretKeyKeyword] = ObjectSecretKeyKeyword, [ObjectPartSizeKeyword] = ObjectPartSizeKeyword,
        [ObjectFolderKeyword] = ObjectFolderKeyword,

        [StoreIdleTimeoutKeyword] = StoreIdleTimeoutKeyword, ["StoreIdleTimeout"] = StoreIdleTimeoutKeyword,
        [AllowAgentOverrideKeyword] = AllowAgentOverrideKeyword, ["AllowAgentOverride"] = AllowAgentOverrideKeyword,
    };

    /// <summary>The agent name used when the connection string names none.</summary>
    public const string DefaultAgent = "anonymous";

    /// <summary>The <see cref="Storage"/> used when the connection string names none.</summary>
    public const string DefaultStorage = StemeQL.Storage.StoreProviders.DefaultName;

    /// <summary>The command timeout, in seconds, used when the connection string sets none.</summary>
    public const int DefaultCommandTimeout = 30;

    /// <summary>How long, in seconds, a data folder's store stays open after its last connection closes, when the connection string sets none.</summary>
    public const int DefaultStoreIdleTimeout = 5;

    // A day: longer is no pool anyone wants, and a timer takes at most about 49 days.
    private const int MaxStoreIdleTimeout = 86_400;

    /// <summary>An empty builder.</summary>
    public StemeConnectionStringBuilder() { }

    /// <summary>A builder holding the settings of <paramref name="connectionString"/>.</summary>
    public StemeConnectionStringBuilder(string? connectionString) => ConnectionString = connectionString;

    private bool _parsing;

    /// <summary>The connection string; setting it parses and checks every keyword (an empty <c>Agent=</c> is refused).</summary>
    [AllowNull]
    public new string ConnectionString
    {
        get => base.ConnectionString;
        set
        {
            // The base parser turns an empty value into Remove(keyword), which is how "Agent=" would
            // silently become anonymous: while parsing, that Remove is refused instead.
            _parsing = true;
            try
            {
                base.ConnectionString = value;
            }
            finally
            {
                _parsing = false;
            }
        }
    }

    /// <summary>A database folder (created on first open) or <c>:memory:</c> for a private throw-away database.</summary>
    public string DataSource
    {
        get => Get(DataSourceKeyword) ?? "";
        set => this[DataSourceKeyword] = value;
    }

    /// <summary>
    /// The store provider that opens <see cref="DataSource"/>: <c>embedded</c> (the default: a data
    /// folder with a journal, SQLite and an object folder, shared by the connections of one process),
    /// or the name of a provider a backend package registered. Names are case-insensitive; a name no
    /// provider has fails at <c>Open</c> with <c>InvalidConnectionString</c>, listing the known names.
    /// See docs/storage.md.
    /// </summary>
    public string Storage
    {
        get => Get(StorageKeyword) ?? DefaultStorage;
        set => this[StorageKeyword] = value;
    }

    /// <summary>The agent this connection writes as; default <c>anonymous</c>.</summary>
    public string Agent
    {
        get => Get(AgentKeyword) ?? DefaultAgent;
        set => this[AgentKeyword] = value;
    }

    /// <summary>
    /// What a read waits for: <c>ReadYourWrites</c> (the default; also written <c>read-your-writes</c>),
    /// <c>Eventual</c>, <c>AtLeast</c> or <c>Process</c> (<c>Strong</c> is accepted as its alias).
    /// See <see cref="StemeConsistency"/>.
    /// </summary>
    public StemeConsistency Consistency
    {
        get => Get(ConsistencyKeyword) is { } text ? ParseConsistency(text) : StemeConsistency.ReadYourWrites;
        set => this[ConsistencyKeyword] = value switch
        {
            StemeConsistency.ReadYourWrites => nameof(StemeConsistency.ReadYourWrites),
            StemeConsistency.Eventual => nameof(StemeConsistency.Eventual),
            StemeConsistency.AtLeast => nameof(StemeConsistency.AtLeast),
            StemeConsistency.Process => nameof(StemeConsistency.Process),
            _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a StemeConsistency level."),
        };
    }

    /// <summary>The default command timeout in seconds; 0 waits forever. Default 30.</summary>
    public int CommandTimeout
    {
        get => Get(CommandTimeoutKeyword) is { } text ? ParseTimeout(text) : DefaultCommandTimeout;
        set => this[CommandTimeoutKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Open the data folder without writing, so this process can read it while another process
    /// writes it (one writer per folder). Reads see what the writer has ingested. Default false.
    /// </summary>
    public bool ReadOnly
    {
        get => Get(ReadOnlyKeyword) is { } text && ParseBoolean(text, ReadOnlyKeyword);
        set => this[ReadOnlyKeyword] = value ? "True" : "False";
    }

    /// <summary>
    /// What opening does with a damaged journal; default <see cref="StemeRecovery.Normal"/> (refuse with
    /// JournalDamaged). <see cref="StemeRecovery.Salvage"/> keeps every valid write and reports the LSNs lost.
    /// </summary>
    public StemeRecovery Recovery
    {
        get => Get(RecoveryKeyword) is { } text ? ParseRecovery(text) : StemeRecovery.Normal;
        set => this[RecoveryKeyword] = value.ToString();
    }

    /// <summary>
    /// Whether <see cref="StemeConnection.Open"/> enlists in the ambient <see cref="System.Transactions.TransactionScope"/>,
    /// so the scope's writes are applied when it completes and dropped when it does not. Default true, as in Npgsql.
    /// </summary>
    public bool Enlist
    {
        get => Get(EnlistKeyword) is not { } text || ParseBoolean(text, EnlistKeyword);
        set => this[EnlistKeyword] = value ? "True" : "False";
    }

    /// <summary>
    /// Milliseconds after which a command is logged as slow (event <c>SlowQuery</c>, see
    /// docs/observability.md); 0 turns the event off. Default 1000.
    /// </summary>
    public int SlowQueryThreshold
    {
        get => Get(SlowQueryThresholdKeyword) is { } text ? ParseThreshold(text) : DefaultSlowQueryThreshold;
        set => this[SlowQueryThresholdKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    private const int DefaultSlowQueryThreshold = 1000;

    /// <summary>
    /// Seconds the data folder's store stays open (warm) after the last connection to it in this process
    /// closes, so that opening the next one costs nothing, as a connection pool keeps connections; default
    /// <see cref="DefaultStoreIdleTimeout"/>, 0 closes it with the last connection. A warm store keeps the
    /// folder locked against other writing processes until it closes, or this process exits.
    /// </summary>
    public int StoreIdleTimeout
    {
        get => Get(StoreIdleTimeoutKeyword) is { } text ? ParseIdleTimeout(text) : DefaultStoreIdleTimeout;
        set => this[StoreIdleTimeoutKeyword] = value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Lets this connection write as other agents: a <see cref="StemeBatchCommand.Agent"/>, or a
    /// <see cref="BulkAssertion.Agent"/> / <see cref="BulkVote.Agent"/> row. Default false, which refuses
    /// them with <see cref="StemeErrorCode.AgentOverrideNotAllowed"/>. For a trusted service writing for
    /// many agents; signatures that prove each agent's consent are not checked yet.
    /// </summary>
    public bool AllowAgentOverride
    {
        get => Get(AllowAgentOverrideKeyword) is { } text && ParseBoolean(text, AllowAgentOverrideKeyword);
        set => this[AllowAgentOverrideKeyword] = value ? "True" : "False";
    }

    /// <summary>Gets or sets a keyword's value; the keyword is normalised to its canonical name.</summary>
    [AllowNull]
    public override object this[string keyword]
    {
        get => base[Canonical(keyword)];
        set
        {
            string canonical = Canonical(keyword);
            if (value is null) Remove(canonical);
            else base[canonical] = Validate(canonical, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
        }
    }

    /// <inheritdoc />
    public override bool ContainsKey(string keyword) => Keywords.TryGetValue(keyword, out var canonical) && base.ContainsKey(canonical);

    /// <inheritdoc />
    public override bool Remove(string keyword)
    {
        if (!Keywords.TryGetValue(keyword, out var canonical)) return false;
        if (_parsing && canonical == AgentKeyword)
            throw new ArgumentException("Agent cannot be empty: name the agent that writes, e.g. Agent=alice, or leave Agent out for anonymous.", nameof(keyword));
        return base.Remove(canonical);
    }

    /// <inheritdoc />
    public override bool TryGetValue(string keyword, [NotNullWhen(true)] out object? value)
    {
        value = null;
        return Keywords.TryGetValue(keyword, out var canonical) && base.TryGetValue(canonical, out value);
    }

    /// <inheritdoc />
    public override ICollection Keys => Keywords.Values.Distinct().ToArray();

    private string? Get(string canonical) => base.TryGetValue(canonical, out var value) ? value as string ?? value.ToString() : null;

    private static string Canonical(string keyword) =>
        Keywords.TryGetValue(keyword ?? throw new ArgumentNullException(nameof(keyword)), out var canonical)
            ? canonical
            : throw new ArgumentException(
                $"Unknown connection string keyword '{keyword}': use Data Source, Storage, Agent, Consistency, Command Timeout, Read Only, Recovery, Enlist, Slow Query Threshold, Store Idle Timeout, Allow Agent Override or an Object keyword (Object Threshold, Object Bucket, ...: see docs/storage.md).", nameof(keyword));

    private static string Validate(string canonical, string value)
    {
        switch (canonical)
        {
            case ConsistencyKeyword: ParseConsistency(value); break;
            case CommandTimeoutKeyword: ParseTimeout(value); break;
            case ReadOnlyKeyword or EnlistKeyword or AllowAgentOverrideKeyword: ParseBoolean(value, canonical); break;
            case StoreIdleTimeoutKeyword: ParseIdleTimeout(value); break;
            case RecoveryKeyword: ParseRecovery(value); break;
            case SlowQueryThresholdKeyword: ParseThreshold(value); break;
            case ObjectThresholdKeyword or ObjectPartSizeKeyword or ObjectPathStyleKeyword or ObjectServiceUrlKeyword: ValidateObjectKeyword(canonical, value); break;
            case StorageKeyword when string.IsNullOrWhiteSpace(value):
                throw new ArgumentException("Storage cannot be blank: name a store provider, e.g. Storage=embedded, or leave Storage out for embedded.", nameof(value));
            case AgentKeyword when string.IsNullOrWhiteSpace(value):
                throw new ArgumentException("Agent cannot be empty: name the agent that writes, e.g. Agent=alice.", nameof(value));
        }
        return value;
    }

    // Names only (not numbers or flag combinations), case-insensitive, with spaces, hyphens and underscores ignored.
    private static StemeConsistency ParseConsistency(string text)
    {
        string name = string.Concat(text.Where(c => c is not (' ' or '-' or '_')));
        return name.Length > 0 && name.All(char.IsAsciiLetter) && Enum.TryParse<StemeConsistency>(name, ignoreCase: true, out var consistency)
            && Enum.IsDefined(consistency)
            ? consistency
            : throw new ArgumentException($"Consistency '{text}' is not valid: use ReadYourWrites (the default), Eventual, AtLeast or Process (Strong is an alias of Process).");
    }

    private static StemeRecovery ParseRecovery(string text) =>
        Enum.TryParse<StemeRecovery>(text, ignoreCase: true, out var recovery) && Enum.IsDefined(recovery)
            ? recovery
            : throw new ArgumentException($"Recovery '{text}' is not valid: use Normal or Salvage.");

    private static bool ParseBoolean(string text, string keyword) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" => true,
        "false" or "no" or "0" => false,
        _ => throw new ArgumentException($"{keyword} '{text}' is not valid: use True or False."),
    };

    private static int ParseThreshold(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int milliseconds) && milliseconds >= 0
            ? milliseconds
            : throw new ArgumentException($"Slow Query Threshold '{text}' is not valid: use a whole number of milliseconds, 0 to log no slow queries.");

    private static int ParseIdleTimeout(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && seconds is >= 0 and <= MaxStoreIdleTimeout
            ? seconds
            : throw new ArgumentException($"Store Idle Timeout '{text}' is not valid: use whole seconds from 0 (close with the last connection) to {MaxStoreIdleTimeout}.");

    private static int ParseTimeout(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && seconds >= 0
            ? seconds
            : throw new ArgumentException($"Command Timeout '{text}' is not valid: use a whole number of seconds, 0 for no limit.");
}
