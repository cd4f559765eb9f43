using System.Net.Sockets;
using Npgsql;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// The one place Npgsql's errors become <see cref="StemeException"/>s with a stable code that says what to
/// do. <c>where</c> names the server and database (never the password).
/// </summary>
internal static class PgErrors
{
    /// <summary>True for the errors <see cref="Translate"/> turns into a <see cref="StemeException"/>.</summary>
    public static bool IsDatabaseError(Exception error) => error is NpgsqlException or TimeoutException or IOException or SocketException;

    /// <summary>The StemeQL error for <paramref name="error"/>, raised while <paramref name="doing"/> on <paramref name="where"/>.</summary>
    public static StemeException Translate(Exception error, string doing, string where, bool connecting) => error switch
    {
        StemeException steme => steme,
        PostgresException { SqlState: "28P01" or "28000" } => new(StemeErrorCode.AuthenticationFailed,
            $"{where} refused the user name or password while {doing}: fix Username and Password in the connection string (or the server's pg_hba.conf).", error),
        PostgresException { SqlState: "3D000" } => new(StemeErrorCode.DatabaseMissing,
            $"The database of {where} does not exist: create it (CREATE DATABASE) or fix Database in the connection string.", error),
        PostgresException { SqlState: "3F000" } => SchemaMissing(where, null, error),
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08003" or "08000" } pe => new(StemeErrorCode.ConnectionLost,
            $"{where} closed the connection while {doing} ({pe.MessageText}): retry. A retry stores nothing twice: an assertion's hash names it, and a write whose commit was under way is looked up on a new connection before the loss is reported; only if that lookup failed too (the server is still away) may a retried vote be recorded a second time (the views count each agent's newest vote only).", error),
        PostgresException { SqlState: "42501" } pe => new(StemeErrorCode.PermissionDenied,
            $"{where} denied the user a permission while {doing} ({pe.MessageText}): grant it the rights on the store's schema.", error),
        PostgresException pe => new(StemeErrorCode.StorageFailure,
            $"{where} failed while {doing}: {pe.MessageText} ({pe.SqlState}).", error),
        _ when connecting => new(StemeErrorCode.ServerUnreachable,
            $"{where} cannot be reached while {doing} ({Innermost(error).Message}): check Host and Port, that the server runs and accepts TCP connections, then retry.", error),
        TimeoutException or NpgsqlException { InnerException: TimeoutException } => new(StemeErrorCode.Timeout,
            $"{where} did not answer in time while {doing}: retry, or raise Timeout / Command Timeout in the connection string.", error),
        _ => new(StemeErrorCode.ConnectionLost,
            $"The connection to {where} was lost while {doing} ({Innermost(error).Message}): retry. A retry stores nothing twice: an assertion's hash names it, and a write whose commit was under way is looked up on a new connection before the loss is reported; only if that lookup failed too (the server is still away) may a retried vote be recorded a second time (the views count each agent's newest vote only).", error),
    };

    /// <summary>
    /// No schema the Search Path names exists (<paramref name="searchPath"/>: the session's, when known), so the store has
    /// nowhere to be: PostgreSQL's own words (3F000) speak of where to create, not of the missing schema.
    /// </summary>
    public static StemeException SchemaMissing(string where, string? searchPath, Exception? error = null) => new(StemeErrorCode.DatabaseMissing,
        $"The schema in the Search Path of {where} does not exist{(searchPath is null ? "" : $" (search_path is {searchPath})")}: create it (CREATE SCHEMA) or fix Search Path in the connection string.", error);

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is { } inner) error = inner;
        return error;
    }
}
