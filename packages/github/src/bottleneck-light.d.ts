// bottleneck/light.js is Bottleneck without Redis clustering: the build plugin-throttling loads, so a
// bundle holds one copy. It ships no types of its own; its API is the full build's.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
