// StemeQL, version 1: the source of truth for the language's syntax (see docs and STEMEQL.md).
// The grammar is LL(1) on purpose: every decision is made on one token of lookahead, so the
// expected-token sets in syntax errors are exact for the position reported.
grammar StemeQL;

options { caseInsensitive = true; }

// ---------------------------------------------------------------- statements

script
    : statement? (SEMI statement?)* EOF
    ;

statement
    : assertStatement
    | voteStatement
    | selectStatement
    | explainStatement
    ;

assertStatement
    : ASSERT assertTuple (COMMA assertTuple)*
      (IN EPOCH epoch=value)?
      (WITH CONFIDENCE confidence=value)?
      (DERIVED FROM LPAREN derived+=value (COMMA derived+=value)* RPAREN)?
    ;

assertTuple
    : LPAREN subj=value COMMA pred=value COMMA obj=value RPAREN
    ;

voteStatement
    : VOTE assertion=value (WEIGHT weight=value)?
    ;

explainStatement
    : EXPLAIN selectStatement
    ;

selectStatement
    : SELECT (STAR | selectItem (COMMA selectItem)*)
      FROM relation=identifier
      lensClause?
      asOfClause?
      (WHERE where=expr)?
      (ORDER BY orderItem (COMMA orderItem)*)?
      limitClause?
    ;

selectItem
    : column=identifier (AS alias=identifier)?
    ;

lensClause
    : USING LENS name=identifier (LPAREN lensOption (COMMA lensOption)* RPAREN)?
    ;

lensOption
    : name=identifier EQ value
    ;

asOfClause
    : AS OF kind=(LSN | TIMESTAMP) value
    ;

orderItem
    : expr direction=(ASC | DESC)?
    ;

// OFFSET alone is accepted too, so every SelectStatement tree (e.g. LINQ's Skip without Take) prints.
limitClause
    : LIMIT limit=value (OFFSET offset=value)?
    | OFFSET offset=value
    ;

// A statement argument: a literal, a parameter or a negative number, never a column.
value
    : literal
    | PARAMETER
    | MINUS number=(INTEGER | REAL)
    ;

// ---------------------------------------------------------------- expressions
// Precedence, loosest first: OR, AND, NOT, comparison, unary minus, primary.

expr
    : andExpr (OR andExpr)*
    ;

andExpr
    : notExpr (AND notExpr)*
    ;

notExpr
    : NOT notExpr
    | predicate
    ;

predicate
    : left=operand
      ( comparisonOperator right=operand
      | negated=NOT? (IN LPAREN expr (COMMA expr)* RPAREN | LIKE pattern=operand)
      | IS negated=NOT? NULL
      )?
    ;

comparisonOperator
    : EQ | NEQ | LT | LE | GT | GE
    ;

operand
    : MINUS operand
    | primary
    ;

primary
    : literal
    | PARAMETER
    | identifier
    | LPAREN expr RPAREN
    ;

literal
    : STRING
    | INTEGER
    | REAL
    | BYTES
    | TRUE
    | FALSE
    | NULL
    ;

identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | nonReservedKeyword
    ;

// Keywords that are also column names (lsn, weight, confidence, epoch) or likely ones.
// Keep in sync with src/Planner/Parsing/Keywords.cs (a test checks).
nonReservedKeyword
    : EPOCH | CONFIDENCE | DERIVED | WEIGHT | LENS | LSN | TIMESTAMP | OFFSET | ASC | DESC
    ;

// ---------------------------------------------------------------- lexer
// Token types number in declaration order, and error messages list expected tokens in that order:
// operators, statement verbs, expression keywords, clause keywords, then punctuation.

EQ     : '=';
NEQ    : '<>' | '!=';
LT     : '<';
LE     : '<=';
GT     : '>';
GE     : '>=';

ASSERT     : 'ASSERT';
VOTE       : 'VOTE';
SELECT     : 'SELECT';
EXPLAIN    : 'EXPLAIN';
NOT        : 'NOT';
IN         : 'IN';
LIKE       : 'LIKE';
IS         : 'IS';
AND        : 'AND';
OR         : 'OR';
NULL       : 'NULL';
TRUE       : 'TRUE';
FALSE      : 'FALSE';
EPOCH      : 'EPOCH';
WITH       : 'WITH';
CONFIDENCE : 'CONFIDENCE';
DERIVED    : 'DERIVED';
FROM       : 'FROM';
WEIGHT     : 'WEIGHT';
USING      : 'USING';
LENS       : 'LENS';
AS         : 'AS';
OF         : 'OF';
LSN        : 'LSN';
TIMESTAMP  : 'TIMESTAMP';
WHERE      : 'WHERE';
ORDER      : 'ORDER';
BY         : 'BY';
ASC        : 'ASC';
DESC       : 'DESC';
LIMIT      : 'LIMIT';
OFFSET     : 'OFFSET';

LPAREN : '(';
RPAREN : ')';
COMMA  : ',';
STAR   : '*';
MINUS  : '-';
SEMI   : ';';

// Longer than an identifier followed by a string, so x'0aff' is bytes; digits are paired by the builder.
BYTES      : 'X\'' [0-9A-F]* '\'';
STRING     : '\'' (~'\'' | '\'\'')* '\'';
REAL       : DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;
INTEGER    : DIGIT+;
PARAMETER  : '@' [A-Z0-9_]+;
IDENTIFIER : [A-Z_] [A-Z0-9_]*;
QUOTED_IDENTIFIER : '"' (~'"' | '""')* '"';

LINE_COMMENT  : '--' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WHITESPACE    : [ \t\r\n\f]+ -> channel(HIDDEN);

// Error tokens: the lexer never fails; the parser meets these and reports them with a position.
UNTERMINATED_STRING            : '\'' (~'\'' | '\'\'')* EOF;
UNTERMINATED_QUOTED_IDENTIFIER : '"' (~'"' | '""')* EOF;
UNTERMINATED_COMMENT           : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
ERROR_CHARACTER                : .;

fragment DIGIT    : [0-9];
fragment EXPONENT : 'E' [+-]? DIGIT+;
