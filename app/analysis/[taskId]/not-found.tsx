/** An analysis page for a puzzle id no task directory holds: the puzzle's own not-found page. */
export { default } from '@/app/puzzles/[id]/not-found';
