declare module '*.sh' {
  const text: string;
  export default text;
}

/** Replaced at bundle time with the version from package.json. */
declare const __DH_VIRTUALENV_VERSION__: string;
