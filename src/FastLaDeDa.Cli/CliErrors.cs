using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace FastLaDeDa.Cli;

/// <summary>
/// Turns a parse that failed into the one line the CLI prints after <c>error: </c>: unknown commands
/// and options (with "did you mean" when one is close), stray arguments, a missing argument or
/// required option, a value of the wrong type — System.CommandLine's messages reworded, never
/// more than one, and never the help text.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>The first problem with <paramref name="parse"/>, or null when the command can run.</summary>
    public static string? FirstError(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            if (IsOptionLike(token)) return UnknownOption(command, token);
            if (command.Subcommands.Count > 0)
            {
                var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
                return EditDistance.Closest(token, names) is string close
                    ? $"unknown command '{token}'; did you mean '{close}'?"
                    : $"unknown command '{token}'; the commands are {string.Join(", ", names)}";
            }
            return $"{command.Name}: unexpected argument '{token}'";
        }
        // An unknown option before a variadic argument is taken as one of its values (detect --bogus
        // x.jpg would look for a file named --bogus): refuse any value that looks like an option,
        // unless it follows "--". "-" alone is a value (stdin).
        var beforeDoubleDash = new HashSet<Token>(parse.Tokens.TakeWhile(t => t.Type != TokenType.DoubleDash), ReferenceEqualityComparer.Instance);
        for (SymbolResult? result = parse.CommandResult; result is CommandResult commandResult; result = result.Parent)
        {
            foreach (Argument argument in commandResult.Command.Arguments)
            {
                var tokens = parse.GetResult(argument)?.Tokens ?? [];
                if (tokens.FirstOrDefault(t => beforeDoubleDash.Contains(t) && IsOptionLike(t.Value)) is { } stray)
                    return UnknownOption(commandResult.Command, stray.Value);
            }
        }
        return parse.Errors.Count == 0 ? null : Reword(parse.Errors[0], parse.CommandResult);
    }

    private static bool IsOptionLike(string token) => token.Length > 1 && token[0] == '-' && !double.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string UnknownOption(Command command, string token)
    {
        var names = command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--"));
        string where = command.Parents.Any() ? command.Name + ": " : "";
        return EditDistance.Closest(token, names) is string close
            ? $"{where}unknown option '{token}'; did you mean '{close}'?"
            : $"{where}unknown option '{token}' (see '{Usage(command)} --help')";
    }

    /// <summary>"fastladeda detect": the command as the user types it.</summary>
    private static string Usage(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault()) names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    /// <summary>System.CommandLine's message for <paramref name="error"/>, reworded for the common cases, always one line.</summary>
    private static string Reword(ParseError error, CommandResult current)
    {
        string message = error.Message;
        if (CannotParse().Match(message) is { Success: true } m)
        {
            Type? type = (error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult)?.Option.ValueType;
            type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
            string expected = type is null ? "a valid value"
                : type == typeof(int) || type == typeof(long) ? "a whole number"
                : type == typeof(double) || type == typeof(float) ? "a number"
                : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
                : "a valid value";
            return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {expected}";
        }
        if (RequiredOption().Match(message) is { Success: true } o)
            return $"{current.Command.Name}: missing required option {o.Groups["option"].Value}";
        if (message.StartsWith("Required argument missing for command", StringComparison.Ordinal))
        {
            CommandResult missing = error.SymbolResult as CommandResult ?? error.SymbolResult?.Parent as CommandResult ?? current;
            var argument = missing.Command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && (missing.GetResult(a)?.Tokens.Count ?? 0) == 0);
            return $"{missing.Command.Name}: missing {(argument is null ? "an argument" : $"<{argument.Name}>")} (see '{Usage(missing.Command)} --help')";
        }
        if ((error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult) is { } option && message.StartsWith("Required argument missing", StringComparison.Ordinal))
            return $"{option.Option.Name}: missing its value";
        return string.Join(' ', message.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Option '(?<option>[^']*)' is required\.")]
    private static partial Regex RequiredOption();
}
