/**
 * The one door to the TOML parser (toml-parser.ts): pyproject.toml and the lock files are read through here
 * and nowhere else.
 */
import { ConfigurationError } from '../core/errors';
import { parseTomlDocument, TomlDateTime, TomlSyntaxError } from './toml-parser';

/** A TOML table as plain values: strings, numbers, booleans, dates (TomlDateTime), arrays and tables. */
export type TomlTable = Readonly<Record<string, unknown>>;

export function parseToml(text: string, file: string): TomlTable {
  try {
    return parseTomlDocument(text);
  } catch (error) {
    if (error instanceof TomlSyntaxError) {
      throw new ConfigurationError(`${file}:${error.line}:${error.column}: not valid TOML: ${error.what}`);
    }
    throw error;
  }
}

/** `table[key]` if it is a table, else undefined. */
export function tableAt(table: TomlTable | undefined, key: string): TomlTable | undefined {
  const value = table?.[key];
  return typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof TomlDateTime)
    ? (value as TomlTable)
    : undefined;
}

/** `table[key]` if it is a string, else undefined. */
export function stringAt(table: TomlTable | undefined, key: string): string | undefined {
  const value = table?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The strings of the array `table[key]`; an absent key is an empty list. */
export function stringsAt(table: TomlTable | undefined, key: string): string[] {
  const value = table?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The tables of the array `table[key]` (`authors = [{ name = "…" }]`). */
export function tablesAt(table: TomlTable | undefined, key: string): TomlTable[] {
  const value = table?.[key];
  return Array.isArray(value)
    ? value.filter(
        (item): item is TomlTable => typeof item === 'object' && item !== null && !Array.isArray(item),
      )
    : [];
}
