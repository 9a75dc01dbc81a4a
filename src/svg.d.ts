// SVG files are bundled as their source text (the builder's asset/source rule).
declare module '*.svg' {
  const value: string;
  export default value;
}
