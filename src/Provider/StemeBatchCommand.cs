using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace StemeQL;

/// <summary>
/// One command of a <see cref="StemeBatch"/>: StemeQL text (usually one statement) and its parameters.
/// </summary>
public sealed class StemeBatchCommand : DbBatchCommand
{
    private string _commandText = "";

    /// <summary>A batch command with no text.</summary>
    public StemeBatchCommand() { }

    /// <summary>A batch command with text.</summary>
    public StemeBatchCommand(string? commandText) => CommandText = commandText;

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText
    {
        get => _commandText;
        set => _commandText = value ?? "";
    }

    /// <summary>Only <see cref="CommandType.Text"/> is supported.</summary>
    public override CommandType CommandType
    {
        get => CommandType.Text;
        set
        {
            if (value != CommandType.Text)
                throw new ArgumentException("StemeQL commands are always CommandType.Text.", nameof(value));
        }
    }

    /// <summary>
    /// The assertions and votes this command wrote in the last execution of its batch, or -1 when it
    /// wrote nothing (a SELECT).
    /// </summary>
    public override int RecordsAffected => _recordsAffected;

    private int _recordsAffected = -1;

    /// <summary>
    /// The agent this command's writes are made as; null (the default) for the connection's. Another
    /// agent than the connection's needs <c>Allow Agent Override=True</c> in its connection string, or the
    /// batch fails with <see cref="StemeErrorCode.AgentOverrideNotAllowed"/> and writes nothing.
    /// </summary>
    public string? Agent { get; set; }

    /// <summary>The parameters bound to <c>@name</c> in this command's text.</summary>
    public new StemeParameterCollection Parameters { get; } = new();

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => Parameters;

    /// <inheritdoc />
    public override bool CanCreateParameter => true;

    /// <summary>Creates a parameter (add it to <see cref="Parameters"/>).</summary>
    public override StemeParameter CreateParameter() => new();

    /// <summary>Resets the count before the batch runs.</summary>
    internal void ResetRecordsAffected() => _recordsAffected = -1;

    /// <summary>Counts the records one of this command's statements wrote.</summary>
    internal void AddRecordsAffected(int records) => _recordsAffected = Math.Max(_recordsAffected, 0) + records;
}
