namespace StemeQL;

/// <summary>What opening a data folder does when its journal is damaged.</summary>
public enum StemeRecovery
{
    /// <summary>
    /// Cut only a torn tail (what a crash leaves) and report it; refuse any other damage with
    /// <see cref="StemeErrorCode.JournalDamaged"/>, changing nothing (the default).
    /// </summary>
    Normal,
    /// <summary>
    /// Keep every valid write after the damage, rewrite the journal cleanly (keeping the damaged one beside
    /// it) and report exactly which LSNs were lost in <c>stemeql_status.recovered</c>.
    /// </summary>
    Salvage,
}
