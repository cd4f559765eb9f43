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
    : EXPLAIN ANALYZE? selectStatement
    ;

// FROM is optional: SELECT 1, SELECT @p and SELECT NULL probe a provider without a relation.
selectStatement
    : SELECT DISTINCT? (STAR | selectItem (COMMA selectItem)*)
      (FROM relation=identifier lensClause? asOfClause?)?
      (WHERE where=expr)?
      (GROUP BY groupItems+=expr (COMMA groupItems+=expr)*)?
      (HAVING having=expr)?
      (ORDER BY orderItem (COMMA orderItem)*)?
      limitClause?
    ;

// Without AS an alias is a plain or quoted name, so a non-reserved keyword after the last item
// (SELECT 1 OFFSET 2) still starts its clause.
selectItem
    : expr (AS alias=identifier | bare=IDENTIFIER | quoted=QUOTED_IDENTIFIER)?
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
// Precedence, loosest first: OR, AND, NOT, comparison, additive (+ - ||), multiplicative (* / %),
// unary minus, primary. Operators that chain are loops inside one rule rather than one rule per
// precedence level, and the syntax-tree builder applies the precedence (SyntaxTreeBuilder.Expressions.cs):
// a column reference costs four parse-tree contexts instead of nine, and a chain of any length costs
// no stack. The language is the same as with a rule per level: AND and OR join conditions, NOT
// prefixes a whole condition (NOT x = 1 is NOT (x = 1)), and a comparison does not chain (a = 1 = 2
// is an error).

// Conditions joined by AND and OR; each is [NOT ...] operand [predicate]. The leading NOTs apply to the
// whole condition, predicate included.
expr
    : NOT* arithmetic predicate? ((AND | OR) NOT* arithmetic predicate?)*
    ;

predicate
    : comparison=(EQ | NEQ | LT | LE | GT | GE) right=arithmetic
    | negated=NOT? (IN LPAREN expr (COMMA expr)* RPAREN | LIKE pattern=arithmetic)
    | IS negated=NOT? NULL
    ;

// Operands joined by + - || * / %, each after any number of unary minus signs.
arithmetic
    : MINUS* primary ((STAR | SLASH | PERCENT | PLUS | MINUS | CONCAT) MINUS* primary)*
    ;

// A name followed by '(' is a function call; the decision is made on the token after the name.
primary
    : literal
    | PARAMETER
    | identifier (LPAREN callArguments? RPAREN)?
    | caseExpression
    | LPAREN expr RPAREN
    ;

callArguments
    : STAR
    | DISTINCT? expr (COMMA expr)*
    ;

caseExpression
    : CASE operandExpr=expr? whenClause+ (ELSE elseExpr=expr)? END
    ;

whenClause
    : WHEN when=expr THEN then=expr
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

// The keywords after the quoted identifier are non-reserved: also column names (lsn, weight, confidence,
// epoch) or likely ones. They are listed here rather than in a rule of their own, which cost a parse-tree
// context per such name. Keep in sync with src/Planner/Parsing/Keywords.cs (a test checks).
identifier
    : IDENTIFIER
    | QUOTED_IDENTIFIER
    | EPOCH | CONFIDENCE | DERIVED | WEIGHT | LENS | LSN | TIMESTAMP | OFFSET | ASC | DESC | ANALYZE
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
DISTINCT   : 'DISTINCT';
GROUP      : 'GROUP';
HAVING     : 'HAVING';
CASE       : 'CASE';
WHEN       : 'WHEN';
THEN       : 'THEN';
ELSE       : 'ELSE';
END        : 'END';
ANALYZE    : 'ANALYZE';

LPAREN : '(';
RPAREN : ')';
COMMA  : ',';
STAR   : '*';
MINUS  : '-';
PLUS   : '+';
SLASH  : '/';
PERCENT : '%';
CONCAT : '||';
SEMI   : ';';

// Longer than an identifier followed by a string, so x'0aff' is bytes; digits are paired by the builder.
BYTES      : 'X\'' [0-9A-F]* '\'';
STRING     : '\'' (~'\'' | '\'\'')* '\'';
REAL       : DIGIT+ '.' DIGIT* EXPONENT? | '.' DIGIT+ EXPONENT? | DIGIT+ EXPONENT;
INTEGER    : DIGIT+;
PARAMETER  : '@' [A-Z0-9_]+;
IDENTIFIER : [A-Z_] [A-Z0-9_]*;
QUOTED_IDENTIFIER : '"' (~'"' | '""')* '"';

// Skipped rather than kept on a hidden channel: nothing reads them, and a token object per gap cost
// a fifth of the lexer's allocations.
LINE_COMMENT  : '--' ~[\r\n]* -> skip;
BLOCK_COMMENT : '/*' .*? '*/' -> skip;
WHITESPACE    : [ \t\r\n\f]+ -> skip;

// Error tokens: the lexer never fails; the parser meets these and reports them with a position.
UNTERMINATED_STRING            : '\'' (~'\'' | '\'\'')* EOF;
UNTERMINATED_QUOTED_IDENTIFIER : '"' (~'"' | '""')* EOF;
UNTERMINATED_COMMENT           : '/*' (~'*' | '*'+ ~[*/])* '*'* EOF;
ERROR_CHARACTER                : .;

fragment DIGIT    : [0-9];
fragment EXPONENT : 'E' [+-]? DIGIT+;
