/** Python scripts init runs are bundled as text (build.mjs: loader '.py': 'text') and run with `python -c`. */
declare module '*.py' {
  const text: string;
  export default text;
}
