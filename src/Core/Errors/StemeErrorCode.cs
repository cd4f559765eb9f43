namespace StemeQL;

/// <summary>
/// Stable error codes carried by <see cref="StemeException"/>. The numeric values are part of the
/// public contract: never renumber, only append.
/// </summary>
public enum StemeErrorCode
{
    /// <summary>An unexpected internal failure; please report it.</summary>
    InternalError = 0,
    /// <summary>The statement text does not follow the StemeQL grammar.</summary>
    SyntaxError = 1,
    /// <summary>The lens named in <c>USING LENS</c> does not exist.</summary>
    UnknownLens = 2,
    /// <summary>The relation named in <c>FROM</c> does not exist.</summary>
    UnknownRelation = 3,
    /// <summary>A column name is not a column of the relation.</summary>
    UnknownColumn = 4,
    /// <summary>A hash does not name any stored assertion.</summary>
    UnknownAssertion = 5,
    /// <summary>A text is not a 64-character hexadecimal SHA-256 hash.</summary>
    InvalidHash = 6,
    /// <summary>A vote weight is outside [0, 1].</summary>
    InvalidWeight = 7,
    /// <summary>An assertion confidence is outside [0, 1].</summary>
    InvalidConfidence = 8,
    /// <summary>The statement uses a parameter that the command does not supply.</summary>
    MissingParameter = 9,
    /// <summary>A value has the wrong type for where it is used (for example a numeric subject).</summary>
    TypeMismatch = 10,
    /// <summary>A LIMIT or OFFSET is negative or not an integer.</summary>
    InvalidLimit = 11,
    /// <summary>The statement is valid StemeQL but not supported by this version or this backend.</summary>
    NotSupported = 12,
    /// <summary>A lens option is unknown or has an invalid value.</summary>
    InvalidLensOption = 13,
    /// <summary>The command did not finish within its <c>CommandTimeout</c>.</summary>
    Timeout = 14,
    /// <summary>The data folder is in use by another process (the only transient storage error: retry later).</summary>
    DatabaseLocked = 15,
    /// <summary>The connection is read-only and the statement writes.</summary>
    ReadOnly = 16,
    /// <summary>The storage layer failed (I/O error, corrupt file, a store stopped after a failure).</summary>
    StorageFailure = 17,
    /// <summary>A connection-string keyword or value is invalid.</summary>
    InvalidConnectionString = 18,
    /// <summary>A parameter value cannot be converted to a StemeQL value.</summary>
    InvalidParameterValue = 19,
    /// <summary>Stored data fails an integrity check (a row that no longer matches its hash, a view that differs from the ledger, a damaged journal frame); run <c>steme check</c>.</summary>
    IntegrityError = 20,
    /// <summary>The data folder is on a read-only file system (or mounted read-only): nothing can be written there.</summary>
    ReadOnlyFileSystem = 21,
    /// <summary>This process lacks the file-system permission to read or write the data folder.</summary>
    PermissionDenied = 22,
    /// <summary>The disk (or the file system's quota) is full: a write could not be made durable.</summary>
    DiskFull = 23,
    /// <summary>
    /// The journal is damaged where acknowledged writes not yet in the store live (a bad frame, header or
    /// missing segment): the store refuses to open rather than lose them. Restore from a backup, or salvage.
    /// </summary>
    JournalDamaged = 30,
    /// <summary>A function name is not one StemeQL knows; the message lists those it does.</summary>
    UnknownFunction = 40,
    /// <summary>
    /// An aggregate or grouping rule is broken: a column neither grouped nor aggregated, an aggregate in
    /// WHERE or inside another aggregate, HAVING without grouping, or a wrong number of arguments.
    /// </summary>
    InvalidGrouping = 41,
    /// <summary>A division or modulo by zero.</summary>
    DivisionByZero = 42,
    /// <summary>An integer result does not fit in 64 bits.</summary>
    NumericOverflow = 43,
    /// <summary>A statement is too large or too deeply nested to run; the message says how to split it.</summary>
    QueryTooComplex = 44,
    /// <summary>A large <c>bytes</c> value's object is missing from the object store (the message names its SHA-256 and the store).</summary>
    ObjectMissing = 60,
    /// <summary>The object store (S3) could not be reached: check the endpoint and the network, then retry.</summary>
    ObjectStoreUnreachable = 61,
    /// <summary>The object store (S3) refused the credentials or the operation: check the access key and the bucket's policy.</summary>
    ObjectStoreAccessDenied = 62,
    /// <summary>The object store's bucket does not exist: create it or fix the <c>Object Bucket</c> keyword.</summary>
    ObjectStoreBucketMissing = 63,
    /// <summary>A write names an agent other than the connection's, and the connection may not write for others (Allow Agent Override).</summary>
    AgentOverrideNotAllowed = 70,
    /// <summary>The data folder was written by a newer StemeQL (a newer schema version): open it with that StemeQL; it is never upgraded or changed by an older one.</summary>
    SchemaTooNew = 80,
    /// <summary>The data folder has an older schema version and was opened read-only, which cannot upgrade it: open it once for writing.</summary>
    SchemaTooOld = 81,
    /// <summary>The database server (PostgreSQL) cannot be reached: check its host, port and that it is running, then retry.</summary>
    ServerUnreachable = 90,
    /// <summary>The database server refused the user name or password: fix the credentials in the connection string.</summary>
    AuthenticationFailed = 91,
    /// <summary>
    /// The connection to the database server was lost during an operation; a write that failed this way wrote nothing
    /// (or, if the loss came during its commit, retrying it creates no duplicate assertion): retry it.
    /// </summary>
    ConnectionLost = 92,
    /// <summary>The database named in the connection string (or the schema its Search Path names) does not exist on the server: create it (CREATE DATABASE, CREATE SCHEMA) or fix the name.</summary>
    DatabaseMissing = 93,
    /// <summary>
    /// A write names an agent longer than the longest every store can index (<c>WriteRules.MaxAgentBytes</c> bytes of UTF-8):
    /// name the agent with fewer bytes (a key or a short name, with the long description stored as an assertion about it).
    /// </summary>
    AgentTooLong = 100,
}
