/**
 * `local:arc`: the embedded, offline ARC solver. A DSL of grid transformations (each also
 * rendered as Python), learners that fit final steps to the training pairs, and a search that
 * returns candidate programs ranked by their training score.
 */
export { searchPrograms, searchProgramsSync } from './solve';
export type { ArcCandidate, PairResult, SearchableTask, SearchOptions, SearchProgress } from './solve';
export { describeProgram, programName, programToPython, runProgram } from './dsl/program';
export type { Arg, Program, Step } from './dsl/types';
export { ALL_OPS } from './dsl/registry';
